import { Blocks, DaisError, Interface, type Launchable, userError } from "@dais/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestRuntime } from "./testRuntime.ts";

// What testers and the developer see when fn fails, through the runtime (no socket).
let server: TestRuntime | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  vi.restoreAllMocks();
});

/** Fails as its input says: an unexpected exception, an error on purpose, or a wrong output. */
const failing = () =>
  new Interface({
    fn: function divide(how: string) {
      if (how === "crash") throw new Error("ENOENT: /home/dev/secret-keys.json");
      if (how === "user") throw userError("Give a number of 0 or more.");
      if (how === "dais") throw new DaisError("fn_error", "That model is not loaded yet.");
      if (how === "stream") throw new TypeError("Cannot read properties of undefined (reading 'x')");
      return how;
    },
    inputs: ["text"],
    outputs: ["text"],
  });

async function open(app: Launchable, showError?: boolean) {
  server = await TestRuntime.start(app, showError === undefined ? {} : { showError });
  return (await server.session()).client;
}

describe("a failing fn", () => {
  it("shows testers a generic message for an unexpected exception; the terminal gets the details", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const client = await open(failing());
    const failed = await client.run("a", ["crash"]);
    expect(failed).toMatchObject({ type: "error", code: "fn_error", message: "The function raised an error." });
    expect(JSON.stringify(failed)).not.toContain("secret-keys");
    expect(failed).not.toHaveProperty("stack");
    const line = logged.mock.calls.map((c) => c.map(String).join(" ")).join("\n");
    expect(line).toContain('fn "predict"');
    expect(line).toContain("secret-keys");
  });

  it("shows an error the app raises on purpose as written (userError, new DaisError)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const client = await open(failing());
    expect(await client.run("a", ["user"])).toMatchObject({ type: "error", code: "fn_error", message: "Give a number of 0 or more." });
    expect(await client.run("b", ["dais"])).toMatchObject({ type: "error", code: "fn_error", message: "That model is not loaded yet." });
  });

  it("with showError, shows the exception's own message and its stack", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const client = await open(failing(), true);
    const failed = await client.run("a", ["stream"]);
    expect(failed).toMatchObject({ type: "error", code: "fn_error", message: "Cannot read properties of undefined (reading 'x')" });
    expect((failed as { stack?: string }).stack).toContain("TypeError");
  });

  it("reports an output that does not fit its component in the terminal too, with the fn and the component", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = new Blocks((ui) => {
      const box = ui.textbox({ label: "Word" });
      const count = ui.number({ label: "Letters" });
      box.submit({ fn: (w: string) => (w === "bad" ? ("many" as unknown as number) : w.length), inputs: [box], outputs: [count], apiName: "count" });
    });
    const client = await open(app);
    const failed = await client.run("a", ["bad"]);
    expect(failed).toMatchObject({ type: "error", code: "invalid_output" });
    expect((failed as { message: string }).message).toContain('"Letters"');
    const line = logged.mock.calls.map((c) => c.map(String).join(" ")).join("\n");
    expect(line).toContain('fn "count"');
    expect(line).toContain('"Letters"');
  });
});
