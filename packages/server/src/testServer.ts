import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Launchable } from "@dais/core";
import { type Launched, type LaunchOptions, launch } from "./launch.ts";
import { TestClient } from "./testClient.ts";

const assets = mkdtempSync(join(tmpdir(), "dais-assets-"));
writeFileSync(join(assets, "index.html"), "<!doctype html><title>ui</title>");

/** A real server on a free loopback port, and real WebSocket clients, closed by `stop()`. */
export class TestServer {
  private readonly clients: TestClient[] = [];
  private constructor(readonly launched: Launched) {}

  static async start(app: Launchable, options: LaunchOptions = {}): Promise<TestServer> {
    return new TestServer(await launch(app, { assets, port: 0, quiet: true, ...options }));
  }

  get url(): string {
    return this.launched.url;
  }

  /**
   * A WebSocket client that has said hello (to `session`, to resume one). `follow` is what a
   * page that lost its connection still shows, taken over before any frame arrives.
   */
  async session(session?: string, lastSeq?: number, follow?: { values: Record<number, unknown> }) {
    const client = await TestClient.connect(this.url);
    this.clients.push(client);
    if (follow) client.adopt(follow.values);
    const welcome = await client.hello(session, lastSeq);
    return { client, welcome };
  }

  /** The same, straight into the runtime with no socket. */
  async direct(session?: string, lastSeq?: number) {
    const client = TestClient.direct(this.launched.server.runtime);
    this.clients.push(client);
    const welcome = await client.hello(session, lastSeq);
    return { client, welcome };
  }

  async connect(): Promise<TestClient> {
    const client = await TestClient.connect(this.url);
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.launched.close(0);
  }
}
