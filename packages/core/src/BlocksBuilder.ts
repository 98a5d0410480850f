import type { App, AppFn } from "./App.ts";
import type { ComponentConfig, ContainerNode, FnConfig, LayoutNode, Trigger } from "./AppConfig.ts";
import { type AppOptions, appBase } from "./AppOptions.ts";
import { type ButtonProps, button } from "./components/button/button.ts";
import { type ChatbotProps, chatbot } from "./components/chatbot/chatbot.ts";
import { type CheckboxProps, checkbox } from "./components/checkbox/checkbox.ts";
import { type DropdownComponent, type DropdownProps, dropdown, type MultiDropdownComponent } from "./components/dropdown/dropdown.ts";
import { type JsonProps, json } from "./components/json/json.ts";
import { type LabelProps, label } from "./components/label/label.ts";
import { type MarkdownProps, markdown } from "./components/markdown/markdown.ts";
import { type NumberProps, number } from "./components/number/number.ts";
import { type SliderProps, slider } from "./components/slider/slider.ts";
import { type StateProps, state } from "./components/state/state.ts";
import { type TextboxProps, textbox } from "./components/textbox/textbox.ts";
import type { Cell } from "./components/dataframe/checkTable.ts";
import { type CellOf, type ColumnType, type DataframeComponent, type DataframeProps, dataframe, type RowOf } from "./components/dataframe/dataframe.ts";
import { type CodeProps, code } from "./components/code/code.ts";
import { type HtmlProps, html } from "./components/html/html.ts";
import { type PlotProps, plot } from "./components/plot/plot.ts";
import { type AudioProps, audio } from "./components/audio/audio.ts";
import { type FileCount, type FileProps, file } from "./components/file/file.ts";
import { type GalleryProps, gallery } from "./components/gallery/gallery.ts";
import { type ImageProps, image } from "./components/image/image.ts";
import { type VideoProps, video } from "./components/video/video.ts";
import { type MultimodalTextboxProps, multimodalTextbox } from "./components/multimodalTextbox/multimodalTextbox.ts";
import { DaisError } from "./DaisError.ts";
import type { FileValueType } from "./FileData.ts";
import type { EventName, TriggerMode } from "./events.ts";
import type { FeedbackHandler } from "./FeedbackEvent.ts";
import type { AnyHandle, EventRef, Handle, Listen, ListenerSpec, On } from "./Handle.ts";
import type { AnyPredictFn } from "./PredictFn.ts";
import { type AnyComponent, type ComponentKind, type ComponentSpec, componentEvents, resolveComponent } from "./registry.ts";

/** Something that can place its components and events into a builder (an app, or part of one). */
export interface Renderable {
  render(ui: BlocksBuilder): void;
}

interface FnDraft {
  id: number;
  fn: AnyPredictFn | null;
  inputs: number[];
  outputs: number[];
  triggers: Trigger[];
  then: number[];
  cancels: number[];
  spec: LooseSpec;
  triggerMode: TriggerMode;
  /** Its key in the record of events the app's build returned: its name when it has no apiName. */
  key?: string;
}

/** A listener spec as the builder stores it, its fn no longer tied to its handles' types. */
type LooseSpec = Omit<ListenerSpec<[], []>, "fn" | "inputs" | "outputs"> & { fn?: AnyPredictFn; inputs?: readonly AnyHandle[]; outputs?: readonly AnyHandle[] };

type Build = () => void;

/** The plan of an app that renders itself into a builder (Interface, ChatInterface, TabbedInterface). */
export function compileApp(app: Renderable, options: AppOptions): App {
  const ui = new BlocksBuilder();
  app.render(ui);
  return ui.compile(options);
}
const apiNamePattern = /^[A-Za-z_][\w-]{0,63}$/;

/**
 * The `ui` of `new Blocks(options, (ui) => ...)`: places components (each call returns a typed
 * handle), nests layout containers, and wires events to functions. Component ids are handed out
 * here, in order, so no app numbers its components by hand.
 */
export class BlocksBuilder {
  private readonly components = new Map<number, AnyComponent>();
  private readonly root: ContainerNode = { type: "column", props: {}, children: [] };
  private readonly stack: ContainerNode[] = [this.root];
  private readonly fns: FnDraft[] = [];
  /** Set by a ChatInterface rendered into this app when the app has none of its own. */
  feedbackHandler: FeedbackHandler | undefined;

  /** Places a component (a configured one, or a shortcut name) and returns its handle. */
  add<C extends AnyComponent>(component: C, options?: { place?: boolean }): Handle<C>;
  add(spec: ComponentSpec, options?: { place?: boolean }): Handle<AnyComponent>;
  add(spec: ComponentSpec, options: { place?: boolean } = {}): AnyHandle {
    const component = resolveComponent(spec);
    const id = this.components.size;
    this.components.set(id, component);
    if (component.kind !== "state" && options.place !== false) this.current.children.push({ type: "component", id });
    const handle: Record<string, unknown> = { id, component };
    for (const event of componentEvents[component.kind] as readonly EventName[]) handle[event] = ((spec: LooseSpec) => this.listen([{ id, event }], spec)) as Listen;
    return handle as unknown as AnyHandle;
  }

  textbox(props: TextboxProps = {}) {
    return this.add(textbox(props));
  }
  number(props: NumberProps = {}) {
    return this.add(number(props));
  }
  checkbox(props: CheckboxProps = {}) {
    return this.add(checkbox(props));
  }
  slider(props: SliderProps = {}) {
    return this.add(slider(props));
  }
  dropdown<const V extends string>(props: DropdownProps<V> & { multiselect: true }): Handle<MultiDropdownComponent<V>>;
  dropdown<const V extends string>(props: DropdownProps<V> & { multiselect?: false }): Handle<DropdownComponent<V>>;
  dropdown<const V extends string>(props: DropdownProps<V>): Handle<DropdownComponent<V>> | Handle<MultiDropdownComponent<V>> {
    return this.add(dropdown(props as DropdownProps<V> & { multiselect?: false }));
  }
  /** Text shown on the page; `ui.markdown("Say hello.")`. */
  markdown(props: MarkdownProps | string = {}) {
    return this.add(markdown(typeof props === "string" ? { value: props } : props));
  }
  json(props: JsonProps = {}) {
    return this.add(json(props));
  }
  label(props: LabelProps = {}) {
    return this.add(label(props));
  }
  chatbot(props: ChatbotProps = {}) {
    return this.add(chatbot(props));
  }
  /** `ui.button("Greet")`, or with props: `ui.button({ value: "Greet", variant: "primary" })`. */
  button(props: ButtonProps | string = {}) {
    return this.add(button(props));
  }
  /** A table; with `datatype: ["str", "number"]` fn's rows are typed `[string | null, number | null]`. */
  dataframe<const T extends readonly ColumnType[]>(props: DataframeProps & { datatype: T }): Handle<DataframeComponent<RowOf<T>>>;
  dataframe<const T extends ColumnType>(props: DataframeProps & { datatype: T }): Handle<DataframeComponent<(CellOf[T] | null)[]>>;
  dataframe(props?: DataframeProps): Handle<DataframeComponent<Cell[]>>;
  dataframe(props: DataframeProps = {}): Handle<DataframeComponent<Cell[]>> {
    return this.add(dataframe(props));
  }
  /** Highlighted source code: `ui.code({ language: "python" })`. */
  code(props: CodeProps = {}) {
    return this.add(code(props));
  }
  /** HTML, sanitised in the page: `ui.html("<b>Ready</b>")`. */
  html(props: HtmlProps | string = {}) {
    return this.add(html(typeof props === "string" ? { value: props } : props));
  }
  /** A line, bar or scatter chart of rows: `ui.plot({ type: "bar", x: "city", y: "population" })`. */
  plot(props: PlotProps = {}) {
    return this.add(plot(props));
  }
  /** An image in or out; `type: "buffer"` hands fn the bytes instead of the file. */
  image<T extends FileValueType = "file">(props: ImageProps<T> = {}) {
    return this.add(image(props));
  }
  /** Sound in (upload or microphone) or out (a player). */
  audio<T extends FileValueType = "file">(props: AudioProps<T> = {}) {
    return this.add(audio(props));
  }
  video<T extends FileValueType = "file">(props: VideoProps<T> = {}) {
    return this.add(video(props));
  }
  /** Any file, or several with `fileCount: "multiple"`, shown as download links. */
  file<T extends FileValueType = "file", N extends FileCount = "single">(props: FileProps<T, N> = {}) {
    return this.add(file(props));
  }
  /** Pictures with captions. */
  gallery<T extends FileValueType = "file">(props: GalleryProps<T> = {}) {
    return this.add(gallery(props));
  }
  /** Text plus files: `ui.multimodalTextbox({ label: "Ask", fileTypes: ["image/*"] })`; fn gets `{ text, files }`. */
  multimodalTextbox<T extends FileValueType = "file">(props: MultimodalTextboxProps<T> = {}) {
    return this.add(multimodalTextbox(props));
  }
  /** A per-session value that never reaches the page: `ui.state(0)`, `ui.state<string[]>([])`. */
  state<T>(initial: T | (() => T), props: StateProps<T> = {}) {
    return this.add(state(initial, props));
  }

  /** Children side by side (they wrap on a narrow screen). */
  row(build: Build): void;
  row(props: Extract<ContainerNode, { type: "row" }>["props"], build: Build): void;
  row(a: Build | Extract<ContainerNode, { type: "row" }>["props"], b?: Build): void {
    this.nest({ type: "row", props: typeof a === "function" ? {} : a, children: [] }, typeof a === "function" ? a : b);
  }

  /** Children one under another; in a row, `scale` is its share of the width, `minWidth` its least width in px. */
  column(build: Build): void;
  column(props: Extract<ContainerNode, { type: "column" }>["props"], build: Build): void;
  column(a: Build | Extract<ContainerNode, { type: "column" }>["props"], b?: Build): void {
    this.nest({ type: "column", props: typeof a === "function" ? {} : a, children: [] }, typeof a === "function" ? a : b);
  }

  /** Children drawn as one block, without gaps. */
  group(build: Build): void {
    this.nest({ type: "group", props: {}, children: [] }, build);
  }

  /** Tabs; put `ui.tab(...)` calls inside. */
  tabs(build: Build): void;
  tabs(props: { selected?: number }, build: Build): void;
  tabs(a: Build | { selected?: number }, b?: Build): void {
    this.nest({ type: "tabs", props: typeof a === "function" ? {} : a, children: [] }, typeof a === "function" ? a : b);
  }

  /** One tab; outside `ui.tabs`, consecutive tabs are gathered into one set of tabs. */
  tab(label: string, build: Build): void {
    let parent = this.current;
    if (parent.type !== "tabs") {
      const last = parent.children[parent.children.length - 1];
      if (last?.type === "tabs" && (last as { auto?: boolean }).auto) parent = last;
      else {
        const tabs = { type: "tabs" as const, props: {}, children: [], auto: true };
        parent.children.push(tabs);
        parent = tabs;
      }
    }
    parent.children.push({ type: "tab", props: { label: String(label) }, children: [] });
    this.stack.push(parent);
    try {
      this.nest(parent.children.pop() as ContainerNode, build);
    } finally {
      this.stack.pop();
    }
  }

  /** A section that folds; closed with `{ open: false }`. */
  accordion(label: string, build: Build): void;
  accordion(label: string, props: { open?: boolean }, build: Build): void;
  accordion(label: string, a: Build | { open?: boolean }, b?: Build): void {
    const props = typeof a === "function" ? {} : a;
    this.nest({ type: "accordion", props: { label: String(label), open: props.open ?? true }, children: [] }, typeof a === "function" ? a : b);
  }

  /**
   * One function for several events (one queue, one endpoint), as Gradio's `gr.on`.
   * @example ui.on([[send, "click"], [box, "submit"]], { fn: reply, inputs: [box], outputs: [chat] })
   */
  on: On = (triggers, spec) => {
    if (!Array.isArray(triggers) || triggers.length === 0) throw new DaisError("internal", "ui.on needs a list of [component, event] pairs.");
    return this.listen(
      triggers.map(([handle, event]) => {
        const id = this.own(handle, "triggers");
        const kind = (handle as AnyHandle).component.kind as ComponentKind;
        if (!(componentEvents[kind] as readonly string[]).includes(event)) throw new DaisError("internal", `A ${kind} has no "${event}" event.`);
        return { id, event };
      }),
      spec as LooseSpec,
    ) as never;
  };

  /** Runs a function when the page opens (every load, in every tab). */
  load: Listen = (spec) => this.listen([{ id: null, event: "load" }], spec as LooseSpec) as never;

  /** Places another app (a Blocks, an Interface, a ChatInterface) here, as part of this one. */
  render(app: Renderable): void {
    app.render(this);
  }

  /** Places a prepared layout node (ChatInterface's composite). */
  place(node: LayoutNode): void {
    this.current.children.push(node);
  }

  /** Wires triggers to a function; `after` makes it run when that function succeeds. */
  listen(triggers: Trigger[], spec: LooseSpec, after?: number): EventRef {
    if (typeof spec !== "object" || spec === null) throw new DaisError("internal", "An event needs { fn, inputs, outputs }.");
    if (spec.fn !== undefined && typeof spec.fn !== "function") throw new DaisError("internal", "An event's `fn` must be a function.");
    if (spec.fn === undefined && (spec.cancels ?? []).length === 0) throw new DaisError("internal", "An event needs `fn` (or `cancels`, for a Stop button).");
    const id = this.fns.length;
    const event = triggers[0]?.event;
    this.fns.push({
      id,
      fn: spec.fn ?? null,
      inputs: (spec.inputs ?? []).map((h) => this.own(h, "inputs")),
      outputs: (spec.outputs ?? []).map((h) => this.own(h, "outputs")),
      triggers,
      then: [],
      cancels: (spec.cancels ?? []).map((e) => this.ownFn(e)),
      spec,
      triggerMode: spec.triggerMode ?? (event === "click" || event === "submit" || event === undefined || event === "load" ? "once" : "always_last"),
    });
    if (after !== undefined) this.fns[after]!.then.push(id);
    return { fn: id, then: ((next: LooseSpec) => this.listen([], next, id)) as Listen, apiName: spec.apiName, inputs: spec.inputs ?? [], outputs: spec.outputs ?? [] };
  }

  /**
   * Names the events a build returned (`return { greet, shout }`) after their keys, unless they
   * have an `apiName`: the type of the app then says which endpoints it has, and the names agree.
   * Anything else a build returns is left alone.
   */
  nameEvents(events: unknown): void {
    if (typeof events !== "object" || events === null || Object.getPrototypeOf(events) !== Object.prototype) return;
    for (const [key, ref] of Object.entries(events as Record<string, unknown>)) {
      if (typeof ref !== "object" || ref === null || typeof (ref as EventRef).fn !== "number" || typeof (ref as EventRef).then !== "function") continue;
      const draft = this.fns[this.ownFn(ref as EventRef)]!;
      if (draft.spec.apiName !== undefined) continue;
      if (draft.fn === null) throw new DaisError("internal", `The event returned as "${key}" has no fn, so programs cannot call it; leave it out of the returned events.`);
      if (!apiNamePattern.test(key)) throw new DaisError("internal", `The event returned as "${key}" needs a name of letters, digits, _ or - (starting with a letter or _); give it an apiName.`);
      draft.key = key;
    }
  }

  /** The app plan: the page's config and, by id, what the server runs. */
  compile(options: AppOptions): App {
    if (this.stack.length !== 1) throw new DaisError("internal", "A layout block was left open.");
    const inputOf = new Set(this.fns.flatMap((f) => f.inputs));
    const outputOf = new Set(this.fns.flatMap((f) => f.outputs));
    const visible = (id: number) => this.components.get(id)?.kind !== "state";
    const components: ComponentConfig[] = [];
    for (const [id, c] of this.components) {
      if (c.kind === "state") continue;
      const explicit = c.props.interactive as boolean | undefined;
      const interactive = c.kind === "button" ? explicit !== false : (explicit ?? (inputOf.has(id) || !outputOf.has(id)));
      components.push({ id, kind: c.kind, props: plainProps(c.props), value: c.initial, interactive } as ComponentConfig);
    }
    const names = apiNames(this.fns);
    const fns: FnConfig[] = this.fns.map((f, i) => ({
      id: f.id,
      inputs: f.inputs.filter(visible),
      outputs: f.outputs.filter(visible),
      triggers: f.triggers,
      then: f.then,
      cancels: f.cancels,
      queue: f.spec.queue !== false,
      triggerMode: f.triggerMode,
      hasFn: f.fn !== null,
      api: names[i] ?? null,
    }));
    const plan: AppFn[] = this.fns.map((f, i) => {
      const { fn: _fn, inputs: _i, outputs: _o, apiName: _a, cancels: _c, triggerMode: _t, description, ...queue } = f.spec;
      return { ...queue, id: f.id, fn: f.fn, inputs: f.inputs, outputs: f.outputs, apiName: names[i] ?? null, ...(description ? { description } : {}) };
    });
    const base = appBase(options);
    return {
      ...base,
      onFeedback: base.onFeedback ?? this.feedbackHandler,
      config: { ...base.config, components, layout: this.root, fns },
      components: new Map(this.components),
      fns: plan,
    };
  }

  private get current(): ContainerNode {
    return this.stack[this.stack.length - 1]!;
  }

  private nest(node: ContainerNode, build: Build | undefined): void {
    if (typeof build !== "function") throw new DaisError("internal", `ui.${node.type}(...) needs a function that places its children.`);
    this.current.children.push(node);
    this.stack.push(node);
    try {
      build();
    } finally {
      this.stack.pop();
    }
  }

  private own(handle: AnyHandle, where: string): number {
    if (typeof handle !== "object" || handle === null || this.components.get(handle.id) !== handle.component)
      throw new DaisError("internal", `An event's ${where} must be components placed in this app (ui.textbox(...) and the like).`);
    return handle.id;
  }

  private ownFn(event: EventRef): number {
    if (typeof event !== "object" || event === null || !this.fns[event.fn]) throw new DaisError("internal", "`cancels` must list events of this app.");
    return event.fn;
  }
}

/** Props as the page receives them: functions (a state's onDelete) and symbols stay on the server. */
function plainProps<P extends object>(props: P): P {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => typeof v !== "function" && typeof v !== "symbol")) as P;
}

/**
 * Endpoint names: `apiName`, else fn's own name (as Gradio names endpoints after the Python
 * function), unique within the app; hidden with `apiName: false` or without fn.
 */
function apiNames(fns: FnDraft[]): (string | null)[] {
  const taken = new Set<string>();
  const names: (string | null)[] = fns.map(() => null);
  const give = (i: number, own: string) => {
    let name = own;
    for (let n = 1; taken.has(name); n++) name = `${own}_${n}`;
    taken.add(name);
    names[i] = name;
  };
  // Names the app chose (apiName, or a key of the returned events) first, so one derived from
  // a fn's name never takes them and the app's type stays true.
  fns.forEach((f, i) => {
    if (f.fn === null || f.spec.apiName === false) return;
    if (f.spec.apiName !== undefined && !apiNamePattern.test(f.spec.apiName))
      throw new DaisError("internal", `apiName "${String(f.spec.apiName)}" must be letters, digits, _ or - (starting with a letter or _).`);
    const chosen = f.spec.apiName ?? f.key;
    if (chosen !== undefined) give(i, chosen);
  });
  fns.forEach((f, i) => {
    if (f.fn === null || f.spec.apiName === false || f.spec.apiName !== undefined || f.key !== undefined) return;
    give(i, apiNamePattern.test(f.fn.name) && f.fn.name !== "fn" ? f.fn.name : `fn_${f.id}`);
  });
  return names;
}
