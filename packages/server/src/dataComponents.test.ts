import { Blocks, code, type Table, html, Interface } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestRuntime } from "./testRuntime.ts";

// The data components in a running app: fn gets typed tables from the shortcuts, and crafted
// tables are refused at the edge with an error frame, before fn runs, leaving the session working.
let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const summary = (t: Table) => ({ headers: ["rows", "columns"], data: [[t.data.length, t.headers.length]] });

describe("dataframe, plot, code and html in an app", () => {
  it("Interface by shortcuts: a table in, a plot, a table and text out", async () => {
    const calls: Table[] = [];
    rt = await TestRuntime.start(
      new Interface({
        fn: (t: Table) => {
          calls.push(t);
          return [t, summary(t), JSON.stringify(t.headers), `<p>${t.data.length} rows</p>`] as const;
        },
        inputs: ["dataframe"],
        outputs: ["plot", "dataframe", code({ language: "json" }), html()],
      }),
    );
    const { client } = await rt.session();
    const table = { headers: ["day", "sales"], data: [[1, 3], [2, 5]] };
    expect(await client.run("a", [table])).toMatchObject({ type: "done" });
    expect(client.output(0)).toEqual(table);
    expect(client.output(1)).toEqual({ headers: ["rows", "columns"], data: [[2, 2]] });
    expect(client.output(2)).toBe('["day","sales"]');
    expect(client.output(3)).toBe("<p>2 rows</p>");

    // Crafted: too many rows, a cell that is an object, rows of the wrong length. fn never sees them.
    const crafted = [
      { headers: ["a"], data: Array.from({ length: 5000 }, () => [1]) },
      { headers: ["a"], data: [[{ toString: "x" }]] },
      { headers: ["a", "b"], data: [[1]] },
      "day,sales\n1,3",
    ];
    for (const [i, bad] of crafted.entries()) expect(await client.run(`bad${i}`, [bad])).toMatchObject({ type: "error", code: "invalid_input" });
    expect(calls).toHaveLength(1);
    expect(await client.run("b", [table])).toMatchObject({ type: "done" });
  });

  it("Blocks: typed columns reach fn converted; a plot fn's wrong rows are reported as invalid_output", async () => {
    let seen: unknown;
    rt = await TestRuntime.start(
      new Blocks((ui) => {
        const people = ui.dataframe({ label: "People", headers: ["name", "age"], datatype: ["str", "number"] });
        const chart = ui.plot({ label: "Ages", type: "bar", x: "name", y: "age" });
        people.change({
          fn: (t) => {
            seen = t.data;
            return t.data.map(([name, age]) => ({ name, age: age === null ? null : age * 2 }));
          },
          inputs: [people],
          outputs: [chart],
        });
        ui.button("Broken").click({ fn: () => [{ name: "Ada", age: "old" }], outputs: [chart] });
      }),
    );
    const { client } = await rt.session();
    expect(await client.run("a", [{ headers: ["name", "age"], data: [["Ada", "36"], ["Bob", ""]] }])).toMatchObject({ type: "done" });
    expect(seen).toEqual([["Ada", 36], ["Bob", null]]);
    expect(client.output(0)).toEqual({ headers: ["name", "age"], data: [["Ada", 72], ["Bob", null]] });
    expect(await client.run("b", [{ headers: ["name", "age"], data: [["Ada", "old"]] }])).toMatchObject({ type: "error", code: "invalid_input", message: expect.stringContaining('a number in column "age"') });
    expect(await client.run("c", [], 1)).toMatchObject({ type: "error", code: "invalid_output", message: 'The function returned "old" for "Ages", which expects numbers in column "age".' });
  });

  it("code and html refuse crafted text past their bounds", async () => {
    rt = await TestRuntime.start(new Interface({ fn: (c: string, h: string) => [c, h], inputs: [code({ maxLength: 10 }), html({ maxLength: 10 })], outputs: ["code", "html"] }));
    const { client } = await rt.session();
    expect(await client.run("a", ["x".repeat(11), ""])).toMatchObject({ type: "error", code: "invalid_input" });
    expect(await client.run("b", ["", { html: "<b>" }])).toMatchObject({ type: "error", code: "invalid_input" });
    expect(await client.run("c", ["ok", "<b>ok</b>"])).toMatchObject({ type: "done" });
  });
});
