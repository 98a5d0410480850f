import { describe, expectTypeOf, it } from "vitest";
import { ChatInterface } from "./ChatInterface.ts";
import type { ChatMessage } from "./components/chatbot/chatbot.ts";
import { dropdown } from "./components/dropdown/dropdown.ts";
import { slider } from "./components/slider/slider.ts";
import type { RunContext } from "./RunContext.ts";

describe("ChatInterface infers fn from its additional inputs", () => {
  it("gives fn the message, the history as messages and the context", () => {
    new ChatInterface({
      fn: (message, history, ctx) => {
        expectTypeOf(message).toEqualTypeOf<string>();
        expectTypeOf(history).toEqualTypeOf<ChatMessage[]>();
        expectTypeOf(ctx).toEqualTypeOf<RunContext>();
        return "reply";
      },
    });
  });

  it("passes additional inputs, typed, before the context", () => {
    new ChatInterface({
      fn: async function* (_message, _history, temperature, model) {
        expectTypeOf(temperature).toEqualTypeOf<number>();
        expectTypeOf(model).toEqualTypeOf<"small" | "large">();
        yield "partial";
      },
      additionalInputs: [slider({ minimum: 0, maximum: 2 }), dropdown({ choices: ["small", "large"] })],
    });
  });

  it("rejects a reply that is not text", () => {
    // @ts-expect-error -- a reply is text (or a stream of it), not a number
    new ChatInterface({ fn: () => 42 });
    // @ts-expect-error -- the extra input is a number, not a string
    new ChatInterface({ fn: (_m: string, _h: ChatMessage[], t: string) => t, additionalInputs: [slider()] });
  });
});
