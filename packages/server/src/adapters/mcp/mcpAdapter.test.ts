import { Blocks, ChatInterface, type ChatMessage, dropdown, Interface, type Launchable, slider, textbox } from "@dais/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "../../testServer.ts";

// The MCP SDK's own client, over Streamable HTTP, against a real Dais server started here.
let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server?.stop();
  server = undefined;
});

async function connect(app: Launchable) {
  server = await TestServer.start(app, { mcpServer: true });
  client = new Client({ name: "dais-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}mcp`)));
  return client;
}

const texts = (result: unknown) => (result as { content: { type: string; text: string }[] }).content.map((c) => c.text);

describe("MCP server", () => {
  it("serves an Interface as one tool with a schema from its components, and calls it", async () => {
    const mcp = await connect(
      new Interface({
        title: "Shouter",
        description: "Shouts a name, louder and louder.",
        fn: (name: string, volume: number, polite: boolean) => `${polite ? "Please, " : ""}${name.toUpperCase()}${"!".repeat(volume)}`,
        inputs: [textbox({ label: "Name" }), slider({ label: "Volume", minimum: 1, maximum: 5, value: 2 }), "checkbox"],
        outputs: ["text"],
      }),
    );
    const { tools } = await mcp.listTools();
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: "predict",
      description: "Shouts a name, louder and louder.",
      inputSchema: {
        type: "object",
        properties: { name: { type: "string" }, volume: { type: "number", minimum: 1, maximum: 5, default: 2 } },
        required: ["name"],
      },
    });
    const third = Object.entries(tools[0]!.inputSchema.properties!).at(2)!;
    expect(third[1]).toMatchObject({ type: "boolean" });
    expect(texts(await mcp.callTool({ name: "predict", arguments: { name: "ada", volume: 3 } }))).toEqual(["ADA!!!"]);
    expect(texts(await mcp.callTool({ name: "predict", arguments: { name: "ada", [third[0]]: true } }))).toEqual(["Please, ADA!!"]);
    // Values the component refuses, a missing argument and an unknown tool come back as errors.
    const tooLoud = await mcp.callTool({ name: "predict", arguments: { name: "ada", volume: 9 } });
    expect(tooLoud.isError).toBe(true);
    expect(texts(tooLoud)[0]).toMatch(/at most 5/);
    expect(await mcp.callTool({ name: "predict", arguments: { volume: 3 } })).toMatchObject({ isError: true });
    expect(await mcp.callTool({ name: "nope", arguments: {} })).toMatchObject({ isError: true });
  });

  it("serves each named event of a Blocks app as a tool, states left out and hidden ones absent", async () => {
    const app = new Blocks((ui) => {
      const name = ui.textbox({ label: "Name" });
      const seen = ui.state(0);
      const out = ui.textbox({ label: "Greeting" });
      const a = ui.number({ label: "A", minimum: 0, maximum: 10 });
      const b = ui.number({ label: "B" });
      const op = ui.add(dropdown({ label: "Operation", choices: ["add", ["Multiply", "mul"]], value: "add" }));
      const result = ui.json({ label: "Result" });
      ui.button("Greet").click({ fn: (n: string, count: number) => [`Hello ${n}, visit ${count + 1}`, count + 1] as const, inputs: [name, seen], outputs: [out, seen], apiName: "greet", description: "Greets someone." });
      ui.button("Compute").click({
        fn: function compute(x: number, y: number, how: string) {
          return { how, value: how === "mul" ? x * y : x + y };
        },
        inputs: [a, b, op],
        outputs: [result],
        description: "Adds or multiplies two numbers.",
      });
      ui.button("Hidden").click({ fn: () => "x", outputs: [out], apiName: false });
    });
    const mcp = await connect(app);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name)).toEqual(["greet", "compute"]);
    const [greetTool, computeTool] = tools;
    expect(greetTool).toMatchObject({ description: "Greets someone.", inputSchema: { properties: { name: { type: "string" } }, required: ["name"] } });
    expect(Object.keys(greetTool!.inputSchema.properties!)).toEqual(["name"]);
    expect(computeTool).toMatchObject({
      description: "Adds or multiplies two numbers.",
      inputSchema: { properties: { a: { type: "number", minimum: 0, maximum: 10 }, b: { type: "number" }, operation: { type: "string", enum: ["add", "mul"], default: "add" } } },
    });
    expect(texts(await mcp.callTool({ name: "greet", arguments: { name: "Ada" } }))).toEqual(["Hello Ada, visit 1"]);
    // Each call runs in a fresh session: the state starts again.
    expect(texts(await mcp.callTool({ name: "greet", arguments: { name: "Bo" } }))).toEqual(["Hello Bo, visit 1"]);
    expect(JSON.parse(texts(await mcp.callTool({ name: "compute", arguments: { a: 3, b: 4, operation: "mul" } }))[0]!)).toEqual({ how: "mul", value: 12 });
    expect(JSON.parse(texts(await mcp.callTool({ name: "compute", arguments: { a: 3, b: 4 } }))[0]!)).toEqual({ how: "add", value: 7 });
    expect(await mcp.callTool({ name: "compute", arguments: { a: 3, b: 4, operation: "pow" } })).toMatchObject({ isError: true });
  });

  it("serves a ChatInterface's chat as a tool taking the message; the reply streams to its end", async () => {
    const mcp = await connect(
      new ChatInterface({
        description: "An echo bot.",
        fn: async function* (message) {
          yield "you said";
          yield `you said ${message}`;
        },
      }),
    );
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name)).toEqual(["chat"]);
    expect(tools[0]).toMatchObject({ description: "An echo bot.", inputSchema: { properties: { message: { type: "string" } }, required: ["message"] } });
    const [chat] = texts(await mcp.callTool({ name: "chat", arguments: { message: "hi" } }));
    expect((JSON.parse(chat!) as ChatMessage[]).at(-1)).toEqual({ role: "assistant", content: "you said hi" });
  });

  it("is off unless asked for, and refuses GET (no server-sent stream in stateless mode)", async () => {
    server = await TestServer.start(new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] }));
    const off = await fetch(`${server.url}mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    expect(off.status).toBe(404);
    await server.stop();
    server = await TestServer.start(new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] }), { mcpServer: true });
    expect((await fetch(`${server.url}mcp`)).status).toBe(405);
    const broken = await fetch(`${server.url}mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{nope" });
    expect(broken.status).toBe(400);
  });

  it("behind a share link, takes the link's token as a bearer token; without it the SDK's client is refused", async () => {
    server = await TestServer.start(new Interface({ fn: (s: string) => s.toUpperCase(), inputs: ["text"], outputs: ["text"] }), { mcpServer: true, share: true, host: "127.0.0.1" });
    const link = new URL(server.url);
    const endpoint = new URL("mcp", link.origin + link.pathname);
    const refused = new Client({ name: "dais-test", version: "1.0.0" });
    await expect(refused.connect(new StreamableHTTPClientTransport(endpoint))).rejects.toThrow(/share token/);
    client = new Client({ name: "dais-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { Authorization: `Bearer ${link.searchParams.get("token")}` } } }));
    expect(texts(await client.callTool({ name: "predict", arguments: { s: "hi" } }))).toEqual(["HI"]);
  });
});
