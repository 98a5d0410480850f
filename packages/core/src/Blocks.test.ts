import { describe, expect, it } from "vitest";
import { Blocks } from "./Blocks.ts";
import type { BlocksBuilder } from "./BlocksBuilder.ts";
import { ChatInterface } from "./ChatInterface.ts";
import { DaisError } from "./DaisError.ts";
import { Interface } from "./Interface.ts";
import { TabbedInterface } from "./TabbedInterface.ts";

const greeter = () =>
  new Blocks({ title: "Greeter" }, (ui) => {
    ui.markdown("Say hello.");
    const name = ui.textbox({ label: "Name" });
    const count = ui.state(0);
    ui.row(() => {
      const greet = ui.button("Greet");
      const out = ui.textbox({ label: "Greeting", interactive: false });
      greet.click({ fn: function greetSomeone(n: string, c: number) { return [`Hello ${n}!`, c + 1] as const; }, inputs: [name, count], outputs: [out, count] })
        .then({ fn: () => "done", outputs: [out], apiName: false });
    });
    ui.accordion("More", { open: false }, () => {
      const preview = ui.textbox({ label: "Preview" });
      name.change({ fn: (n: string) => n, inputs: [name], outputs: [preview] });
    });
  });

describe("Blocks compiles to one app plan", () => {
  it("numbers components in order, keeps states out of the page's config, and nests the layout", () => {
    const { config, components } = greeter().toApp();
    expect([...components.values()].map((c) => c.kind)).toEqual(["markdown", "textbox", "state", "button", "textbox", "textbox"]);
    expect(config.components.map((c) => c.id)).toEqual([0, 1, 3, 4, 5]);
    expect(config.layout).toEqual({
      type: "column",
      props: {},
      children: [
        { type: "component", id: 0 },
        { type: "component", id: 1 },
        { type: "row", props: {}, children: [{ type: "component", id: 3 }, { type: "component", id: 4 }] },
        { type: "accordion", props: { label: "More", open: false }, children: [{ type: "component", id: 5 }] },
      ],
    });
  });

  it("wires triggers, .then chains, trigger modes and endpoint names", () => {
    const { config, fns } = greeter().toApp();
    expect(config.fns.map((f) => ({ triggers: f.triggers, then: f.then, inputs: f.inputs, outputs: f.outputs, mode: f.triggerMode, api: f.api }))).toEqual([
      { triggers: [{ id: 3, event: "click" }], then: [1], inputs: [1], outputs: [4], mode: "once", api: "greetSomeone" },
      { triggers: [], then: [], inputs: [], outputs: [4], mode: "once", api: null },
      { triggers: [{ id: 1, event: "change" }], then: [], inputs: [1], outputs: [5], mode: "always_last", api: "fn_2" },
    ]);
    // The server's plan keeps the state among inputs and outputs; the page never sees it.
    expect(fns[0]).toMatchObject({ inputs: [1, 2], outputs: [4, 2] });
  });

  it("makes inputs editable and outputs read-only unless props say otherwise", () => {
    const { config } = greeter().toApp();
    const interactive = Object.fromEntries(config.components.map((c) => [c.id, c.interactive]));
    expect(interactive).toEqual({ 0: true, 1: true, 3: true, 4: false, 5: false });
  });

  it("refuses handles of another app, an event without fn, and a bad apiName, where the app is made", () => {
    let foreign: ReturnType<BlocksBuilder["textbox"]> | undefined;
    new Blocks((ui) => void (foreign = ui.textbox()));
    expect(() => new Blocks((ui) => ui.button("x").click({ fn: () => "", outputs: [foreign!] }))).toThrow(DaisError);
    expect(() => new Blocks((ui) => ui.button("x").click({} as never))).toThrow(/needs `fn`/);
    expect(() => new Blocks((ui) => ui.button("x").click({ fn: () => undefined, apiName: "no spaces" }))).toThrow(/apiName/);
  });

  it("builds Interface, ChatInterface and TabbedInterface on it, with unique endpoint names", () => {
    const hello = new Interface({ fn: (n: string) => n, inputs: ["text"], outputs: ["text"] });
    const chat = new ChatInterface({ fn: (m) => m });
    const { config } = new TabbedInterface([hello, chat, new Interface({ fn: (n: number) => n, inputs: ["number"], outputs: ["number"] })], ["Hello", "Chat"]).toApp();
    expect(config.fns.map((f) => f.api)).toEqual(["predict", "chat", null, null, null, "predict_1"]);
    const tabs = config.layout.type === "column" ? config.layout.children[0] : undefined;
    expect(tabs?.type === "tabs" && tabs.children.map((t) => (t.type === "tab" ? t.props.label : ""))).toEqual(["Hello", "Chat", "Tab 3"]);
  });

  it("names the events a build returns after their keys; an apiName wins, and a fn's own name never takes a key", () => {
    const app = new Blocks((ui) => {
      const box = ui.textbox();
      const go = ui.button("Go");
      box.change({ fn: function total(s: string) { return s; }, inputs: [box], outputs: [box] });
      const sum = go.click({ fn: (s: string) => s, inputs: [box], outputs: [box] });
      const shout = box.submit({ fn: (s: string) => s, inputs: [box], outputs: [box], apiName: "yell" });
      return { total: sum, shout, note: "not an event" };
    });
    expect(app.toApp().config.fns.map((f) => f.api)).toEqual(["total_1", "total", "yell"]);
    expect(app.toApp().fns.map((f) => f.apiName)).toEqual(["total_1", "total", "yell"]);
    // Rendered into another app, the keys still name them.
    expect(new TabbedInterface([app], ["A"]).toApp().config.fns.map((f) => f.api)).toEqual(["total_1", "total", "yell"]);
    const stopOnly = (ui: BlocksBuilder) => {
      const run = ui.button("Run").click({ fn: () => undefined });
      return { stop: ui.button("Stop").click({ cancels: [run] }) };
    };
    expect(() => new Blocks(stopOnly)).toThrow(/no fn/);
  });
});
