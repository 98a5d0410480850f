import { describe, expect, it } from "vitest";
import { DaisError } from "../DaisError.ts";
import { componentKinds, resolveComponent, shortcuts } from "../registry.ts";
import { button } from "./button/button.ts";
import { chatbot } from "./chatbot/chatbot.ts";
import { checkbox } from "./checkbox/checkbox.ts";
import { dropdown } from "./dropdown/dropdown.ts";
import { json } from "./json/json.ts";
import { label } from "./label/label.ts";
import { markdown } from "./markdown/markdown.ts";
import { number } from "./number/number.ts";
import { slider } from "./slider/slider.ts";
import { textbox } from "./textbox/textbox.ts";
import { dataframe } from "./dataframe/dataframe.ts";
import { code } from "./code/code.ts";
import { html } from "./html/html.ts";
import { plot } from "./plot/plot.ts";
import { audio } from "./audio/audio.ts";
import { file } from "./file/file.ts";
import { gallery } from "./gallery/gallery.ts";
import { image } from "./image/image.ts";
import { video } from "./video/video.ts";
import { multimodalTextbox } from "./multimodalTextbox/multimodalTextbox.ts";

const fileOf = (name: string, mime: string) => ({ path: `AAAAAAAAAAAAAAAAAAAAAA/${name}`, url: `gradio_api/file=AAAAAAAAAAAAAAAAAAAAAA/${name}`, orig_name: name, size: 3, mime_type: mime, meta: { _type: "gradio.FileData" as const } });

// One contract every visible component keeps: its label is its own, its initial value survives
// a trip through the wire (JSON), postprocess accepts what preprocess produced, and a value of
// the wrong type is refused with an `invalid_input` error that names the component.
const cases = [
  { c: textbox({ label: "Message" }), good: "hi", bad: 42 },
  { c: number({ label: "Count" }), good: 3, bad: "three" },
  { c: checkbox({ label: "Sure" }), good: true, bad: "yes" },
  { c: slider({ label: "Level", minimum: 0, maximum: 10 }), good: 5, bad: "5" },
  { c: dropdown({ label: "Size", choices: ["S", "M"] }), good: "M", bad: "XL" },
  { c: markdown({ label: "Notes" }), good: "# hi", bad: {} },
  { c: json({ label: "Data" }), good: { a: [1, 2] }, bad: "{not json" },
  { c: label({ label: "Class" }), good: { label: "cat", confidences: [{ label: "cat", confidence: 0.9 }] }, bad: 7 },
  { c: chatbot({ label: "Chat" }), good: [{ role: "user", content: "hi" }], bad: "hi" },
  { c: button({ label: "Go", value: "Go" }), good: "Go", bad: 1 },
  { c: dataframe({ label: "Table", datatype: ["str", "number"] }), good: { headers: ["city", "people"], data: [["Oslo", 700_000]] }, bad: { headers: ["city"], data: "Oslo" } },
  { c: code({ label: "Source", language: "python" }), good: "print('hi')", bad: 3 },
  { c: html({ label: "Markup" }), good: "<b>hi</b>", bad: {} },
  { c: plot({ label: "Chart", x: "day", y: "sales" }), good: { headers: ["day", "sales"], data: [[1, 5]] }, bad: "a chart" },
  { c: image({ label: "Photo" }), good: fileOf("a.png", "image/png"), bad: "/etc/passwd" },
  { c: audio({ label: "Voice" }), good: fileOf("a.wav", "audio/wav"), bad: { path: 3 } },
  { c: video({ label: "Clip" }), good: fileOf("a.webm", "video/webm"), bad: { path: "" } },
  { c: file({ label: "Docs", fileCount: "multiple" }), good: [fileOf("a.txt", "text/plain"), fileOf("b.pdf", "application/pdf")], bad: fileOf("a.txt", "text/plain") },
  { c: gallery({ label: "Pictures" }), good: [{ image: fileOf("a.png", "image/png"), caption: "A cat" }, { image: fileOf("b.png", "image/png"), caption: null }], bad: [{ caption: "no picture" }] },
  { c: multimodalTextbox({ label: "Ask" }), good: { text: "what is this?", files: [fileOf("a.png", "image/png")] }, bad: { text: "hi", files: "/etc/passwd" } },
] as const;

describe("every visible component", () => {
  it("has a case here", () => {
    const covered = new Set(cases.map((k) => k.c.kind));
    expect(componentKinds.filter((k) => k !== "state" && !covered.has(k))).toEqual([]);
  });

  for (const { c, good, bad } of cases) {
    describe(c.kind, () => {
      it("keeps its label", () => expect(c.props.label).toBeTruthy());
      it("has an initial value that survives JSON", () => expect(JSON.parse(JSON.stringify(c.initial))).toEqual(c.initial));
      it("round-trips a good value", () => {
        const received = c.preprocess(good as never);
        expect(JSON.parse(JSON.stringify(c.postprocess(received as never)))).toEqual(good);
      });
      it("refuses a bad value with a clear invalid_input error naming it", () => {
        let error: unknown;
        try {
          c.preprocess(bad as never);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DaisError);
        expect((error as DaisError).code).toBe("invalid_input");
        expect((error as DaisError).message).toContain(`"${c.props.label}"`);
      });
    });
  }

  it("every shortcut resolves to a component of a known kind", () => {
    for (const name of Object.keys(shortcuts)) expect(componentKinds).toContain(resolveComponent(name as keyof typeof shortcuts).kind);
  });

  it("an unknown shortcut fails with the list of known ones", () => {
    expect(() => resolveComponent("txt" as never)).toThrow(/Unknown component "txt". Known: text, textbox/);
  });
});
