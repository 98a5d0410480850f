import type { Launchable } from "@dais/core";
import { connectRedis, type RedisBackend, type RedisOptions } from "./connectRedis.ts";
import { configIdOf } from "./createServer.ts";
import { MemorySessionStore } from "./MemorySessionStore.ts";
import { Runtime, type RuntimeOptions } from "./Runtime.ts";
import { TestClient } from "./testClient.ts";

/**
 * An app's runtime with no server, no port and no socket, for tests of what the runtime does
 * (as Hono's tests call the app): clients talk to it through a Channel, as an adapter does.
 */
export class TestRuntime {
  private readonly clients: TestClient[] = [];
  private constructor(
    readonly runtime: Runtime,
    readonly backend?: RedisBackend,
  ) {}

  static async start(app: Launchable, options: RuntimeOptions = {}): Promise<TestRuntime> {
    return new TestRuntime(new Runtime(app.toApp(), { store: new MemorySessionStore(), ...options }));
  }

  /**
   * One process of a scaled-out app, on a real Redis: start several on one Redis to test what
   * they share (sessions, frames, queues, Stop). `role` "web" takes no runs; "worker" serves none.
   */
  static async onRedis(app: Launchable, redis: Omit<RedisOptions, "ttl"> & { ttl?: number }, options: RuntimeOptions = {}): Promise<TestRuntime> {
    const plan = app.toApp();
    const ttl = redis.ttl ?? options.ttl ?? 60 * 60 * 1000;
    const backend = await connectRedis(plan, configIdOf(plan), { ...redis, ttl });
    const runtime = new Runtime(plan, { ...options, ttl, ...backend.options });
    await backend.start(runtime);
    return new TestRuntime(runtime, backend);
  }

  /** A client that has said hello (to `session`, to resume one; `follow`: what the page shows). */
  async session(session?: string, lastSeq?: number, follow?: { values: Record<number, unknown> }) {
    const client = TestClient.direct(this.runtime);
    this.clients.push(client);
    // What a page that lost its connection still shows, taken over before any frame arrives.
    if (follow) client.adopt(follow.values);
    const welcome = await client.hello(session, lastSeq);
    return { client, welcome };
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.backend?.close(0);
    await this.runtime.close(0);
  }
}
