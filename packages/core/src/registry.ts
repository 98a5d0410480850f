import type { Component, InOf, OutOf } from "./Component.ts";
import { type ButtonProps, button } from "./components/button/button.ts";
import { type ChatbotProps, chatbot } from "./components/chatbot/chatbot.ts";
import { type CheckboxProps, checkbox } from "./components/checkbox/checkbox.ts";
import { type DropdownProps, dropdown } from "./components/dropdown/dropdown.ts";
import { type JsonProps, json } from "./components/json/json.ts";
import { type LabelProps, label } from "./components/label/label.ts";
import { type MarkdownProps, markdown } from "./components/markdown/markdown.ts";
import { type NumberProps, number } from "./components/number/number.ts";
import { type SliderComponent, slider } from "./components/slider/slider.ts";
import { type StateComponent, state } from "./components/state/state.ts";
import { type TextboxProps, textbox } from "./components/textbox/textbox.ts";
import { type DataframeProps, dataframe } from "./components/dataframe/dataframe.ts";
import { type CodeProps, code } from "./components/code/code.ts";
import { type HtmlProps, html } from "./components/html/html.ts";
import { type PlotProps, plot } from "./components/plot/plot.ts";
import { type AudioProps, audio } from "./components/audio/audio.ts";
import { type FileProps, file } from "./components/file/file.ts";
import { type GalleryProps, gallery } from "./components/gallery/gallery.ts";
import { type ImageProps, image } from "./components/image/image.ts";
import { type VideoProps, video } from "./components/video/video.ts";
import { type MultimodalTextboxProps, multimodalTextbox } from "./components/multimodalTextbox/multimodalTextbox.ts";
import { DaisError } from "./DaisError.ts";
import type { EventName } from "./events.ts";

/** Every component kind. The UI keeps a `Record<ComponentKind, Renderer>` over this list. */
export const componentKinds = ["textbox", "number", "checkbox", "slider", "dropdown", "markdown", "json", "label", "chatbot", "button", "state", "dataframe", "code", "html", "plot", "image", "audio", "video", "file", "gallery", "multimodalTextbox"] as const;
export type ComponentKind = (typeof componentKinds)[number];

/** The events each kind can trigger; a handle has a method for each (`name.change(...)`). */
export const componentEvents = {
  textbox: ["change", "input", "submit", "blur", "select"],
  number: ["change", "input", "submit", "blur"],
  checkbox: ["change", "input", "select"],
  slider: ["change", "input", "release"],
  dropdown: ["change", "input", "select", "blur"],
  markdown: ["change"],
  json: ["change"],
  label: ["change", "select"],
  chatbot: ["change", "select"],
  button: ["click"],
  state: ["change"],
  dataframe: ["change", "input"],
  code: ["change", "input", "blur"],
  html: ["change"],
  plot: ["change"],
  image: ["change", "input"],
  audio: ["change", "input"],
  video: ["change", "input"],
  file: ["change", "input"],
  gallery: ["change", "select"],
  multimodalTextbox: ["change", "input", "submit"],
} as const satisfies Record<ComponentKind, readonly Exclude<EventName, "load">[]>;
export type EventsOf<K extends ComponentKind> = (typeof componentEvents)[K][number];

/** Each visible kind's props, shared by the server (config) and the page (renderers). */
export interface ComponentPropsMap {
  textbox: TextboxProps;
  number: NumberProps;
  checkbox: CheckboxProps;
  slider: SliderComponent["props"];
  dropdown: DropdownProps;
  markdown: MarkdownProps;
  json: JsonProps;
  label: LabelProps;
  chatbot: ChatbotProps;
  button: ButtonProps;
  dataframe: DataframeProps;
  code: CodeProps;
  html: HtmlProps;
  plot: PlotProps;
  image: ImageProps;
  audio: AudioProps;
  video: VideoProps;
  file: FileProps;
  gallery: GalleryProps;
  multimodalTextbox: MultimodalTextboxProps;
}
export type VisibleKind = keyof ComponentPropsMap;

/**
 * The string shortcuts accepted in `inputs` and `outputs`, each making a component with default
 * props. `"state"` starts as null and is typed `any`, as in Gradio, so a tutorial's
 * `history: Pair[] | null` parameter fits; `state<T>(initial)` gives a typed one.
 */
export const shortcuts = {
  text: () => textbox(),
  textbox: () => textbox(),
  textarea: () => textbox({ lines: 5 }),
  number: () => number(),
  checkbox: () => checkbox(),
  slider: () => slider(),
  dropdown: () => dropdown({ choices: [], allowCustomValue: true }) as Component<"dropdown", string, string | null | undefined, string | null>,
  markdown: () => markdown(),
  json: () => json(),
  label: () => label(),
  chatbot: () => chatbot(),
  button: () => button(),
  image: () => image(),
  audio: () => audio(),
  video: () => video(),
  file: () => file(),
  files: () => file({ fileCount: "multiple" }),
  gallery: () => gallery(),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Gradio's untyped "state" shortcut
  state: (): StateComponent<any> => state<any>(null),
  dataframe: () => dataframe(),
  code: () => code(),
  html: () => html(),
  plot: () => plot(),
  multimodalTextbox: () => multimodalTextbox(),
} satisfies Record<string, () => Component<ComponentKind>>;

export type Shortcut = keyof typeof shortcuts;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component, whatever its value types
export type AnyComponent = Component<ComponentKind, any, any, any, any>;
/** What `inputs` and `outputs` accept: a shortcut name or a configured component. */
export type ComponentSpec = Shortcut | AnyComponent;

/** The component a spec stands for (a shortcut name resolved). */
export type Resolved<S> = S extends Shortcut ? ReturnType<(typeof shortcuts)[S]> : S;
/** What fn receives for a spec. */
export type ValueIn<S> = InOf<Resolved<S>>;
/** What fn may return for a spec. */
export type ValueOut<S> = OutOf<Resolved<S>>;

/** Turns a spec into a component, with a clear error for a name that does not exist. */
export function resolveComponent(spec: ComponentSpec): AnyComponent {
  if (typeof spec === "string") {
    const make = (shortcuts as Record<string, (() => AnyComponent) | undefined>)[spec];
    if (!Object.hasOwn(shortcuts, spec) || !make)
      throw new DaisError("internal", `Unknown component "${spec}". Known: ${Object.keys(shortcuts).join(", ")}.`);
    return make();
  }
  if (typeof spec !== "object" || spec === null || !(componentKinds as readonly string[]).includes((spec as { kind?: string }).kind ?? ""))
    throw new DaisError("internal", `Not a component: ${String(spec)}.`);
  return spec;
}

export function isState(c: AnyComponent): c is StateComponent<unknown> & AnyComponent {
  return c.kind === "state";
}
