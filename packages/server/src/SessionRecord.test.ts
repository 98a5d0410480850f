import { Interface, state } from "@dais/core";
import { describe, expect, it } from "vitest";
import { newSessionRecord, resetSessionRecord, unserialisableStates } from "./SessionRecord.ts";

describe("a session record", () => {
  const app = new Interface({
    fn: (a: string, _m: Map<string, number>, _n: number[]) => a,
    inputs: ["text", state(() => new Map<string, number>(), { label: "Cache" }), state<number[]>([1])],
    outputs: ["text"],
  }).toApp();

  it("is plain data: fresh states per session, shown values from the config", () => {
    const a = newSessionRecord("a", app);
    const b = newSessionRecord("b", app);
    expect(a.states[1]).not.toBe(b.states[1]);
    expect(a.states[2]).toEqual([1]);
    expect(a.shown[0]).toBe("");
    expect(JSON.parse(JSON.stringify({ ...a, states: {} }))).toMatchObject({ id: "a", seq: 0, log: { entries: [], head: 0 } });
  });

  it("names the states a shared store could not keep", () => {
    const record = newSessionRecord("a", app);
    expect(unserialisableStates(record, app)).toEqual(['"Cache"']);
    record.states[1] = { plain: [1, "two", null] };
    expect(unserialisableStates(record, app)).toEqual([]);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    record.states[2] = cycle;
    expect(unserialisableStates(record, app)).toEqual(["state 2"]);
  });

  it("resets to fresh values, keeping its id and numbering", () => {
    const record = newSessionRecord("a", app);
    record.seq = 5;
    record.shown[0] = "typed";
    record.props[0] = { visible: false };
    resetSessionRecord(record, app);
    expect(record).toMatchObject({ id: "a", seq: 5, shown: { 0: "" }, props: {} });
  });
});
