import { describe, expectTypeOf, it } from "vitest";
import { Blocks } from "./Blocks.ts";
import type { ChatMessage } from "./components/chatbot/chatbot.ts";
import type { HandleArgs, HandleResult } from "./Handle.ts";
import type { RunContext } from "./RunContext.ts";
import { update } from "./update.ts";

describe("Blocks infers each fn from its handles", () => {
  it("accepts the greeter exactly as written", () => {
    new Blocks({ title: "Greeter" }, (ui) => {
      ui.markdown("Say hello to someone.");
      const name = ui.textbox({ label: "Name" });
      const times = ui.slider({ label: "Times", minimum: 1, maximum: 3, step: 1, value: 1 });
      const greeted = ui.state(0);
      ui.row(() => {
        const greet = ui.button("Greet");
        const out = ui.textbox({ label: "Greeting", interactive: false });
        const count = ui.number({ label: "Greetings so far" });
        greet.click({
          fn: (n: string, k: number, c: number) => [Array(k).fill(`Hello ${n}!`).join(" "), c + 1, c + 1],
          inputs: [name, times, greeted],
          outputs: [out, greeted, count],
        });
      });
      ui.accordion("More", { open: false }, () => {
        const shout = ui.checkbox({ label: "Shout" });
        const preview = ui.textbox({ label: "Preview" });
        name.change({ fn: (n: string, s: boolean) => (s ? n.toUpperCase() : n), inputs: [name, shout], outputs: [preview] });
      });
    });
  });

  it("gives handles their value types", () => {
    new Blocks((ui) => {
      const _name = ui.textbox();
      const _chat = ui.chatbot();
      const _size = ui.dropdown({ choices: ["S", "M"] });
      const _list = ui.state<number[]>([]);
      expectTypeOf<HandleArgs<[typeof _name, typeof _chat, typeof _size, typeof _list]>>().toEqualTypeOf<[string, ChatMessage[], "S" | "M", number[], RunContext]>();
      expectTypeOf<"S">().toMatchTypeOf<HandleResult<[typeof _size]>>();
      expectTypeOf<"XL">().not.toMatchTypeOf<HandleResult<[typeof _size]>>();
    });
  });

  it("lets fn return update() for an output, streams, and chains with then", () => {
    new Blocks((ui) => {
      const on = ui.checkbox({ label: "Show" });
      const box = ui.textbox({ label: "Box" });
      on.change({ fn: (v: boolean) => update({ visible: v }), inputs: [on], outputs: [box] })
        .then({ fn: () => "shown", outputs: [box] });
      ui.button("Stream").click({
        fn: async function* () {
          yield "a";
          yield "ab";
        },
        outputs: [box],
      });
    });
  });

  it("rejects a fn whose parameters do not match the inputs", () => {
    new Blocks((ui) => {
      const name = ui.textbox();
      const out = ui.textbox();
      // @ts-expect-error -- a textbox gives a string, not a number
      ui.button("Go").click({ fn: (n: number) => String(n), inputs: [name], outputs: [out] });
    });
  });

  it("rejects a fn whose result does not match the outputs", () => {
    new Blocks((ui) => {
      const name = ui.textbox();
      const count = ui.number();
      const flag = ui.checkbox();
      // @ts-expect-error -- a number output cannot show a string
      ui.button("Go").click({ fn: (n: string) => n, inputs: [name], outputs: [count] });
      // @ts-expect-error -- a checkbox shows a boolean, not a number
      ui.button("Go").click({ fn: (n: string) => [n, 1] as const, inputs: [name], outputs: [name, flag] });
      // @ts-expect-error -- nothing here fits a checkbox or a textbox
      ui.button("Go").click({ fn: (n: string) => [{ n }, [n]], inputs: [name], outputs: [name, flag] });
    });
  });

  it("offers only the events a kind has", () => {
    new Blocks((ui) => {
      const md = ui.markdown("hi");
      // @ts-expect-error -- markdown cannot be clicked
      md.click({ fn: () => "x", outputs: [md] });
      // @ts-expect-error -- a button has no change event
      ui.button("Go").change({ fn: () => "x", outputs: [md] });
    });
  });
});
