import { describe, expectTypeOf, it } from "vitest";
import { chatbot, type ChatMessage, type ChatbotOut } from "./components/chatbot/chatbot.ts";
import { dropdown } from "./components/dropdown/dropdown.ts";
import { number } from "./components/number/number.ts";
import { state } from "./components/state/state.ts";
import { textbox } from "./components/textbox/textbox.ts";
import { Interface } from "./Interface.ts";
import type { PredictArgs, PredictResult } from "./PredictFn.ts";
import type { RunContext } from "./RunContext.ts";

type Pair = [string, string];

describe("Interface infers fn from its components", () => {
  it("accepts the tutorial's chatbot exactly as written", () => {
    function predict(message: string, history: Pair[] | null) {
      const next: Pair[] = [...(history ?? []), [message, message]];
      return [next, next];
    }
    new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"] });
  });

  it("derives argument types from shortcuts and configured components", () => {
    expectTypeOf<PredictArgs<["text", "number", "checkbox", "chatbot"]>>().toEqualTypeOf<[string, number, boolean, ChatMessage[], RunContext]>();
    const _size = dropdown({ choices: ["S", "M"] });
    const _tags = dropdown({ choices: ["a", "b"], multiselect: true });
    expectTypeOf<PredictArgs<[typeof _size, typeof _tags]>>().toEqualTypeOf<["S" | "M", ("a" | "b")[], RunContext]>();
    const _history = state<number[]>([]);
    expectTypeOf<PredictArgs<[typeof _history]>>().toEqualTypeOf<[number[], RunContext]>();
  });

  it("takes one output's value directly and several as a tuple", () => {
    expectTypeOf<PredictResult<["chatbot"]>>().toEqualTypeOf<ChatbotOut>();
    new Interface({ fn: (n: number) => n * 2, inputs: [number()], outputs: ["number"] });
    new Interface({ fn: (s: string) => [s, s.length] as const, inputs: ["text"], outputs: ["text", "number"] });
    new Interface({ fn: async (s: string) => s, inputs: [textbox({ lines: 3 })], outputs: ["markdown"] });
    new Interface({
      fn: async function* (s: string) {
        yield s;
      },
      inputs: ["text"],
      outputs: ["text"],
    });
    new Interface({ fn: (_m: string, ctx: RunContext) => (ctx.signal.aborted ? "stopped" : "ok"), inputs: ["text"], outputs: ["text"] });
    new Interface({ fn: () => [["hi", "there"]] as Pair[], inputs: [], outputs: [chatbot({ height: 300 })] });
  });

  it("rejects a fn whose parameters do not match the inputs", () => {
    // @ts-expect-error -- "text" gives a string, not a number
    new Interface({ fn: (n: number) => n, inputs: ["text"], outputs: ["number"] });
  });

  it("rejects a result whose items do not suit the outputs they land in", () => {
    // @ts-expect-error -- numbers are neither a chat nor (with a chat output first) a history
    new Interface({ fn: () => [1, 2], inputs: [], outputs: ["chatbot", "state"] });
    // @ts-expect-error -- 42 is not a chat, whatever the state gets
    new Interface({ fn: (_m: string, h: Pair[] | null) => [42, h] as const, inputs: ["text", "state"], outputs: ["chatbot", "state"] });
    function numbers() {
      return [1, 2];
    }
    // @ts-expect-error -- the same, from a declared function
    new Interface({ fn: numbers, inputs: [], outputs: ["chatbot", "state"] });
    // an array whose items suit every output passes (the tutorial's `return [next, next]`)
    new Interface({ fn: (_m: string, h: Pair[] | null) => [h ?? [], h ?? []], inputs: ["text", "state"], outputs: ["chatbot", "state"] });
  });

  it("rejects a fn whose result does not match the outputs", () => {
    // @ts-expect-error -- a number output cannot show a string
    new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["number"] });
    // @ts-expect-error -- a checkbox gives a boolean, and a typed state a number[]
    new Interface({ fn: (s: string, h: string[]) => [s, h], inputs: ["checkbox", state<number[]>([])], outputs: ["text", "json"] });
  });
});
