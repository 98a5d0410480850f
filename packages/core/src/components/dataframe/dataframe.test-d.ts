import { describe, expectTypeOf, it } from "vitest";
import { Blocks } from "../../Blocks.ts";
import { Interface } from "../../Interface.ts";
import type { PredictArgs } from "../../PredictFn.ts";
import type { RunContext } from "../../RunContext.ts";
import { code } from "../code/code.ts";
import { plot } from "../plot/plot.ts";
import type { Cell, Table } from "./checkTable.ts";
import { dataframe } from "./dataframe.ts";

describe("dataframe, code, html and plot types", () => {
  it("the shortcuts give fn a table of cells, code and HTML as text", () => {
    expectTypeOf<PredictArgs<["dataframe", "code", "html", "plot"]>>().toEqualTypeOf<[Table<Cell[]>, string, string, Table<Cell[]>, RunContext]>();
  });

  it("typed columns type each row's cells", () => {
    const _cities = dataframe({ datatype: ["str", "number", "bool", "date"] });
    expectTypeOf<PredictArgs<[typeof _cities]>>().toEqualTypeOf<[Table<[string | null, number | null, boolean | null, string | null]>, RunContext]>();
    const _numbers = dataframe({ datatype: "number" });
    expectTypeOf<PredictArgs<[typeof _numbers]>>().toEqualTypeOf<[Table<(number | null)[]>, RunContext]>();
  });

  it("fn may return a table, rows as arrays or rows as objects, and nothing else", () => {
    new Interface({ fn: (t: Table) => t, inputs: ["dataframe"], outputs: ["dataframe"] });
    new Interface({ fn: () => [["a", 1]], inputs: [], outputs: ["dataframe"] });
    new Interface({ fn: () => [{ city: "Oslo", people: 1 }], inputs: [], outputs: ["dataframe"] });
    new Interface({ fn: () => [{ day: 1, sales: 2 }], inputs: [], outputs: [plot({ x: "day", y: "sales" })] });
    // @ts-expect-error a dataframe is not a string
    new Interface({ fn: () => "a,b", inputs: [], outputs: ["dataframe"] });
    // @ts-expect-error code is text
    new Interface({ fn: () => 42, inputs: [], outputs: [code({ language: "js" })] });
    // @ts-expect-error a plot's rows hold cells, not objects
    new Interface({ fn: () => [{ day: { when: 1 } }], inputs: [], outputs: ["plot"] });
  });

  it("Blocks' builder methods give typed handles", () => {
    new Blocks((ui) => {
      const table = ui.dataframe({ headers: ["city", "people"], datatype: ["str", "number"] });
      const chart = ui.plot({ type: "bar", x: "city", y: "people" });
      const source = ui.code({ language: "typescript" });
      const page = ui.html("<b>hi</b>");
      table.change({
        fn: (t) => {
          expectTypeOf(t.data).toEqualTypeOf<[string | null, number | null][]>();
          return [t, JSON.stringify(t), `<p>${t.data.length}</p>`];
        },
        inputs: [table],
        outputs: [chart, source, page],
      });
    });
  });
});
