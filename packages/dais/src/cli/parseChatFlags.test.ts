import { describe, expect, it } from "vitest";
import { ChatFlagError, parseChatFlags } from "./parseChatFlags.ts";

describe("parseChatFlags", () => {
  it("reads transformers' snake_case keys, as `transformers chat` takes them", () => {
    expect(
      parseChatFlags([
        "do_sample=False",
        "max_new_tokens=10",
        "temperature=0.7",
        "top_k=40",
        "top_p=0.9",
        "repetition_penalty=1.2",
        "no_repeat_ngram_size=3",
        "seed=42",
        "dtype=q8",
        "system=Be brief. Answer = short.",
      ]),
    ).toEqual({
      doSample: false,
      maxNewTokens: 10,
      temperature: 0.7,
      topK: 40,
      topP: 0.9,
      repetitionPenalty: 1.2,
      noRepeatNgramSize: 3,
      seed: 42,
      dtype: "q8",
      system: "Be brief. Answer = short.",
    });
  });

  it("takes camelCase keys, lower-case booleans, and lets a later key win", () => {
    expect(parseChatFlags(["doSample=true", "maxNewTokens=5", "topP=1", "max_new_tokens=7", "do_sample=false"])).toEqual({ doSample: false, maxNewTokens: 7, topP: 1 });
    expect(parseChatFlags([])).toEqual({});
    expect(parseChatFlags(["system="])).toEqual({ system: "" });
  });

  it("names an unknown key and lists the known ones", () => {
    expect(() => parseChatFlags(["max_tokens=10"])).toThrow(
      new ChatFlagError(
        'Unknown key "max_tokens". Known keys: max_new_tokens, do_sample, temperature, top_k, top_p, repetition_penalty, no_repeat_ngram_size, seed, dtype, system ' +
          "(or maxNewTokens, doSample, topK, topP, repetitionPenalty, noRepeatNgramSize).",
      ),
    );
    expect(() => parseChatFlags(["--temperature", "0.5"])).toThrow(/^Expected key=value, got "--temperature"\. Known keys: max_new_tokens/);
    expect(() => parseChatFlags(["=5"])).toThrow(/Expected key=value, got "=5"/);
  });

  it.each([
    ["do_sample=yes", 'do_sample must be True or False, got "yes".'],
    ["do_sample=1", 'do_sample must be True or False, got "1".'],
    ["max_new_tokens=ten", 'max_new_tokens must be an integer, got "ten".'],
    ["max_new_tokens=2.5", 'max_new_tokens must be an integer, got "2.5".'],
    ["seed=", 'seed must be an integer, got "".'],
    ["temperature=hot", 'temperature must be a number, got "hot".'],
    ["topP=Infinity", 'topP must be a number, got "Infinity".'],
    ["dtype=int3", 'dtype must be one of fp32, q8, q4, fp16, got "int3".'],
    // Well-formed numbers the models package rejects: its message, through the same error type.
    ["max_new_tokens=0", "Generation option maxNewTokens must be a positive integer, got 0."],
    ["temperature=0", "Generation option temperature must be above 0 (for greedy decoding leave doSample off), got 0."],
    ["top_p=1.5", "Generation option topP must be in (0, 1], got 1.5."],
    ["top_k=-1", "Generation option topK must be an integer, 0 or more, got -1."],
  ])("rejects %s with a message saying what is expected", (arg, message) => {
    expect(() => parseChatFlags([arg])).toThrow(new ChatFlagError(message));
  });
});
