import { describe, expect, it } from "vitest";
import { dropdown } from "./dropdown/dropdown.ts";
import { json } from "./json/json.ts";
import { label } from "./label/label.ts";
import { number } from "./number/number.ts";
import { slider } from "./slider/slider.ts";
import { state } from "./state/state.ts";
import { textbox } from "./textbox/textbox.ts";

describe("number and slider", () => {
  it("enforce their range with a message that says the bound", () => {
    expect(() => number({ label: "Age", minimum: 0 }).preprocess(-1)).toThrow('"Age" expects a number of at least 0, got -1.');
    expect(() => slider({ maximum: 10 }).preprocess(11)).toThrow("slider expects a number of at most 10, got 11.");
  });
  it("number rounds to its precision and reads numeric text", () => {
    expect(number({ precision: 1 }).preprocess(2.26)).toBe(2.3);
    expect(number().preprocess("4.5")).toBe(4.5);
    expect(() => number().preprocess(Number.NaN)).toThrow(/expects a number/);
  });
  it("slider takes only the values its steps offer", () => {
    const s = slider({ label: "Tokens", minimum: 1, maximum: 256, step: 5 });
    expect(s.preprocess(1)).toBe(1);
    expect(s.preprocess(256)).toBe(256);
    expect(() => s.preprocess(3)).toThrow('"Tokens" expects a step of 5 from 1, got 3.');
    expect(slider({ minimum: 0, maximum: 1, step: 0.1 }).preprocess(0.7)).toBe(0.7);
    expect(() => slider({ minimum: 0, maximum: 1, step: 0.1 }).preprocess(0.75)).toThrow(/a step of 0.1/);
  });
  it("slider defaults to 0..100 starting at its minimum", () => {
    const s = slider({ minimum: 5 });
    expect(s.props).toMatchObject({ minimum: 5, maximum: 100, step: 1 });
    expect(s.initial).toBe(5);
  });
});

describe("textbox", () => {
  it("refuses text over maxLength", () => {
    expect(() => textbox({ maxLength: 3 }).preprocess("abcd")).toThrow(/at most 3 characters/);
  });
  it("shows numbers as text and null as empty", () => {
    expect(textbox().postprocess(5)).toBe("5");
    expect(textbox().postprocess(null)).toBe("");
  });
});

describe("dropdown", () => {
  it("accepts [label, value] choices by value", () => {
    const d = dropdown({ choices: [["Small", "s"], ["Large", "l"]] });
    expect(d.preprocess("l")).toBe("l");
    expect(() => d.preprocess("Large")).toThrow(/one of "s", "l"/);
  });
  it("multiselect gives a list, every item checked", () => {
    const d = dropdown({ choices: ["a", "b"], multiselect: true, value: "a" });
    expect(d.initial).toEqual(["a"]);
    expect(d.preprocess(["a", "b"])).toEqual(["a", "b"]);
    expect(() => d.preprocess(["a", "z"])).toThrow(/a list of one of/);
  });
  it("allowCustomValue takes text outside the choices", () => {
    expect(dropdown({ choices: ["a"], allowCustomValue: true }).preprocess("z")).toBe("z");
  });
});

describe("json", () => {
  it("parses JSON text from an input and refuses what is not JSON", () => {
    expect(json().preprocess('{"a":1}')).toEqual({ a: 1 });
    expect(() => json().preprocess("{a:1}")).toThrow(/valid JSON/);
  });
  it("refuses a cyclic return value instead of crashing the run", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => json().postprocess(cyclic)).toThrow(/expects a JSON value/);
    expect(() => json().postprocess(10n)).toThrow(/expects a JSON value/);
  });
});

describe("label", () => {
  it("turns a map of confidences into the top label and sorted bars", () => {
    expect(label({ numTopClasses: 2 }).postprocess({ cat: 0.2, dog: 0.7, fox: 0.1 })).toEqual({
      label: "dog",
      confidences: [
        { label: "dog", confidence: 0.7 },
        { label: "cat", confidence: 0.2 },
      ],
    });
  });
  it("takes a plain class name", () => expect(label().postprocess("cat")).toEqual({ label: "cat", confidences: [] }));
  it("refuses confidences that are not numbers", () => expect(() => label().postprocess({ cat: "high" } as never)).toThrow(/confidence number/));
});

describe("state", () => {
  it("gives every session its own deep copy of the initial value", () => {
    const s = state({ turns: [[1]] });
    const a = s.create();
    const b = s.create();
    a.turns[0]!.push(2);
    expect(b.turns).toEqual([[1]]);
  });
  it("calls a factory for each session", () => {
    const s = state(() => new Map<string, number>());
    expect(s.create()).not.toBe(s.create());
  });
  it("can never be read from the browser", () => {
    expect(() => state(0).preprocess(1 as never)).toThrow(/cannot come from the browser/);
  });
});
