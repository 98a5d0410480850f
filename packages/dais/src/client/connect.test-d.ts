import { Blocks } from "@dais/core";
import { describe, expectTypeOf, it } from "vitest";
import type { DaisClient, Endpoints, WireMessage } from "./connect.ts";

const _app = new Blocks((ui) => {
  const name = ui.textbox({ label: "Name" });
  const times = ui.number({ label: "Times" });
  const size = ui.dropdown({ choices: ["S", "M"] });
  const seen = ui.state<string[]>([]);
  const out = ui.textbox();
  const count = ui.number();
  const chat = ui.chatbot();
  const go = ui.button("Go");
  const greet = go.click({ fn: (n: string, k: number, s: string[]): [string, number, string[]] => [n.repeat(k), s.length, [...s, n]], inputs: [name, times, seen], outputs: [out, count, seen] });
  const shout = name.submit({ fn: (n: string, z: "S" | "M") => `${n}!${z}`, inputs: [name, size], outputs: [out], apiName: "yell" });
  const hidden = go.click({ fn: () => "x", outputs: [out], apiName: false });
  const talk = go.click({ fn: (n: string) => [{ role: "user" as const, content: n }], inputs: [name], outputs: [chat] });
  return { greet, shout, hidden, talk };
});

declare const client: DaisClient<typeof _app>;

describe("connect<typeof blocksApp>", () => {
  it("knows every returned event: by its key, or by its apiName; apiName: false is hidden", () => {
    expectTypeOf<keyof Endpoints<typeof _app>>().toEqualTypeOf<"/greet" | "/yell" | "/talk">();
  });

  it("types each endpoint's parameters and results, states left out", () => {
    expectTypeOf<Endpoints<typeof _app>["/greet"]["args"]>().toEqualTypeOf<[string, number | null]>();
    expectTypeOf(client.predict("/greet", "a", 2)).resolves.toEqualTypeOf<[string, number | null]>();
    expectTypeOf(client.predict("/yell", "a", "S")).resolves.toEqualTypeOf<[string]>();
    expectTypeOf(client.predict("/talk", "a")).resolves.toEqualTypeOf<[WireMessage[]]>();
  });

  it("fails to compile a wrong call", () => {
    // @ts-expect-error -- Times is a number
    void client.predict("/greet", "a", "2");
    // @ts-expect-error -- a value is missing
    void client.predict("/greet", "a");
    // @ts-expect-error -- the state is the session's, not the caller's
    void client.predict("/greet", "a", 2, ["x"]);
    // @ts-expect-error -- "XL" is no choice of the dropdown
    void client.predict("/yell", "a", "XL");
    // @ts-expect-error -- the event is named by its apiName, not its key
    void client.predict("/shout", "a", "S");
    // @ts-expect-error -- hidden with apiName: false
    void client.predict("/hidden");
    // @ts-expect-error -- no such endpoint
    void client.stream("/nope");
  });

  it("gives a Blocks _app that returns nothing loose endpoints", () => {
    const _loose = new Blocks((ui) => {
      ui.textbox();
    });
    expectTypeOf<Endpoints<typeof _loose>>().toEqualTypeOf<Record<`/${string}`, { args: unknown[]; result: unknown[] }>>();
  });
});
