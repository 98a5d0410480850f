import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { version } from "@dais/core";
import express from "express";
import type { HttpAdapter } from "../HttpAdapter.ts";
import { McpTool } from "./McpTool.ts";

export interface McpAdapterOptions {
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/**
 * The app as an MCP server over Streamable HTTP at `mcp`: every named endpoint is a tool, built
 * with the official SDK. Stateless, as the SDK describes it: each POST gets a server and a
 * transport of its own, so nothing is kept between requests (each call also runs in a fresh
 * session); GET and DELETE, which only stateful servers use, are refused.
 */
export function mcpAdapter(options: McpAdapterOptions = {}): HttpAdapter {
  return {
    name: "mcp",
    routes(router, { app, config, runtime }) {
      const tools = McpTool.all(app, config);
      const byName = new Map(tools.map((t) => [t.name, t]));
      const json = express.json({ limit: options.maxBodyBytes ?? 1024 * 1024 });
      const listed = tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));

      const serve = () => {
        const server = new Server({ name: config.title || "dais", version }, { capabilities: { tools: {} } });
        server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
        server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
          const tool = byName.get(request.params.name);
          if (!tool) return { content: [{ type: "text", text: `There is no tool "${request.params.name}".` }], isError: true };
          return tool.call(runtime, request.params.arguments, extra.signal);
        });
        return server;
      };

      router.post("/mcp", (req, res) => {
        json(req, res, (err?: unknown) => {
          if (err) {
            const tooLarge = (err as { status?: number }).status === 413;
            res.status(tooLarge ? 413 : 400).json({ jsonrpc: "2.0", error: { code: -32700, message: tooLarge ? "The request body is too large." : "Parse error" }, id: null });
            return;
          }
          const server = serve();
          const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
          res.on("close", () => {
            void transport.close();
            void server.close();
          });
          server
            .connect(transport)
            .then(() => transport.handleRequest(req, res, req.body))
            .catch((e: unknown) => {
              console.error("[dais] an MCP request failed:", e);
              if (!res.headersSent) res.status(500).json({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null });
              else res.end();
            });
        });
      });
      const refuse = (_req: express.Request, res: express.Response) => {
        res.status(405).set("allow", "POST").json({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null });
      };
      router.get("/mcp", refuse);
      router.delete("/mcp", refuse);
    },
  };
}
