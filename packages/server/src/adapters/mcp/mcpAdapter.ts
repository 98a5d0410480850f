import type { HttpAdapter } from "../HttpAdapter.ts";

export function mcpAdapter(): HttpAdapter {
  return { name: "mcp", routes() {} };
}
