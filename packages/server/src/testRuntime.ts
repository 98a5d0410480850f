import type { Launchable } from "@dais/core";
import { MemorySessionStore } from "./MemorySessionStore.ts";
import { Runtime, type RuntimeOptions } from "./Runtime.ts";
import { TestClient } from "./testClient.ts";

/**
 * An app's runtime with no server, no port and no socket, for tests of what the runtime does
 * (as Hono's tests call the app): clients talk to it through a Channel, as an adapter does.
 */
export class TestRuntime {
  private readonly clients: TestClient[] = [];
  private constructor(readonly runtime: Runtime) {}

  static async start(app: Launchable, options: RuntimeOptions = {}): Promise<TestRuntime> {
    return new TestRuntime(new Runtime(app.toApp(), { store: new MemorySessionStore(), ...options }));
  }

  /** A client that has said hello (to `session`, to resume one). */
  async session(session?: string, lastSeq?: number) {
    const client = TestClient.direct(this.runtime);
    this.clients.push(client);
    const welcome = await client.hello(session, lastSeq);
    return { client, welcome };
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.runtime.close(0);
  }
}
