import { describe, expectTypeOf, it } from "vitest";
import { Blocks } from "../../Blocks.ts";
import type { LocalFile } from "../../FileData.ts";
import { Interface } from "../../Interface.ts";
import type { PredictArgs } from "../../PredictFn.ts";
import type { RunContext } from "../../RunContext.ts";
import { multimodalTextbox } from "./multimodalTextbox.ts";

describe("multimodalTextbox gives fn typed values", () => {
  it("{ text, files: LocalFile[] } by default and from the shortcut, the bytes with type: \"buffer\"", () => {
    const _raw = multimodalTextbox({ type: "buffer" });
    expectTypeOf<PredictArgs<["multimodalTextbox", typeof _raw]>>().toEqualTypeOf<[{ text: string; files: LocalFile[] }, { text: string; files: Uint8Array[] }, RunContext]>();
  });

  it("as an output takes text or { text, files }; a number does not fit", () => {
    new Interface({ fn: (m: { text: string; files: LocalFile[] }) => ({ text: m.text.toUpperCase(), files: m.files }), inputs: ["multimodalTextbox"], outputs: ["multimodalTextbox"] });
    new Interface({ fn: () => "just text", inputs: [], outputs: ["multimodalTextbox"] });
    // @ts-expect-error a multimodalTextbox output cannot be a number
    new Interface({ fn: () => 42, inputs: [], outputs: ["multimodalTextbox"] });
  });

  it("a Blocks handle carries the same types and has the submit event", () => {
    new Blocks((ui) => {
      const ask = ui.multimodalTextbox({ maxFiles: 3 });
      const out = ui.textbox();
      ask.submit({
        fn: (m: { text: string; files: LocalFile[] }) => `${m.text}: ${m.files.map((f) => f.name).join(", ")}`,
        inputs: [ask],
        outputs: [out],
      });
      // @ts-expect-error fn's parameter must match what the component hands it
      ask.submit({ fn: (m: string) => m, inputs: [ask], outputs: [out] });
    });
  });
});
