// The ceiling for bench/server: a bare `ws` server that echoes each frame's id and text back, with
// nothing of Dais in between (no sessions, no validation, no queue).
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const http = createServer();
const wss = new WebSocketServer({ server: http, path: "/ws" });
wss.on("connection", (socket) => {
  socket.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as { id: string; data: unknown[] };
    socket.send(JSON.stringify({ type: "done", id: frame.id, data: frame.data }));
  });
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.send?.({ url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/` });
});
process.on("message", (m) => {
  if (m === "memory") {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ memory: process.memoryUsage() });
  }
});
