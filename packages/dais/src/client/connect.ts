/**
 * A typed client for Dais apps, for Node and the browser (it needs only `fetch`):
 * `connect<typeof app>(url)` knows each endpoint's parameters and results from the app's own
 * type, so a wrong call fails to compile. It speaks the app's Gradio wire (`gradio_api/call`),
 * with one session per client, so states carry from one call to the next.
 */
import type { AnyHandle, Blocks, ChatInterface, Component, ComponentSpec, EventRef, Interface, Resolved } from "@dais/core";

/** A chat message as it travels: Gradio 6's content parts. */
export interface WireMessage {
  role: "user" | "assistant" | "system";
  content: { type: "text"; text: string }[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- matching any component's other type parameters */
type KindOf<S> = Resolved<S> extends Component<infer K, any, any, any, any> ? K : never;
type WireOf<S> = Resolved<S> extends Component<infer K, any, any, infer W, any> ? (K extends "chatbot" ? WireMessage[] : W) : unknown;
/* eslint-enable @typescript-eslint/no-explicit-any */
/** The values programs send or get for these specs: states are kept by the session and left out. */
export type Visible<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R] ? (KindOf<H> extends "state" ? Visible<R> : [WireOf<H>, ...Visible<R>]) : [];

type ComponentsOf<H extends readonly AnyHandle[]> = { [K in keyof H]: H[K] extends AnyHandle ? H[K]["component"] : never };
/* eslint-disable @typescript-eslint/no-explicit-any -- matching any event's other type parameters */
/** An event's endpoint name: its `apiName`, else its key in the returned events; none for `apiName: false`. */
type EndpointName<R, K extends string> =
  R extends EventRef<infer N, any, any> ? ([N] extends [false] ? never : [N] extends [undefined] ? `/${K}` : N extends string ? `/${N}` : never) : never;
/** The endpoints of a Blocks app whose build returned its events by name. */
export type BlocksEndpoints<E> = {
  [K in keyof E & string as EndpointName<E[K], K>]: E[K] extends EventRef<any, infer I, infer O> ? { args: Visible<ComponentsOf<I>>; result: Visible<ComponentsOf<O>> } : never;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Each endpoint of an app type: its arguments and its result. A Blocks app whose build returns
 * its events (`return { greet, shout }`) gets those; one that returns nothing gets loose ones.
 */
export type Endpoints<A> =
  A extends ChatInterface<infer X>
    ? { "/chat": { args: [message: string, ...Visible<X>]; result: [reply: string] } }
    : A extends Interface<infer I extends readonly ComponentSpec[], infer O extends readonly ComponentSpec[], boolean>
      ? { "/predict": { args: Visible<I>; result: Visible<O> } }
      : A extends Blocks<infer E>
        ? [E] extends [void]
          ? Record<`/${string}`, { args: unknown[]; result: unknown[] }>
          : BlocksEndpoints<E>
        : Record<`/${string}`, { args: unknown[]; result: unknown[] }>;

type ArgsOf<E, N extends keyof E> = E[N] extends { args: infer X extends unknown[] } ? X : never;
type ResultOf<E, N extends keyof E> = E[N] extends { result: infer R } ? R : never;

export interface DaisClient<A> {
  /** This client's session: the server keeps its states between calls. */
  readonly session: string;
  /** Calls an endpoint and resolves with its result. */
  predict<N extends keyof Endpoints<A> & string>(name: N, ...args: ArgsOf<Endpoints<A>, N>): Promise<ResultOf<Endpoints<A>, N>>;
  /** Calls an endpoint and yields its partial results as they stream, the final one last. */
  stream<N extends keyof Endpoints<A> & string>(name: N, ...args: ArgsOf<Endpoints<A>, N>): AsyncIterable<ResultOf<Endpoints<A>, N>>;
}

export interface ConnectOptions {
  /** Headers for every request (a cookie for a shared app). */
  headers?: Record<string, string>;
  /** A shared app's token (the `?token=` of its link), sent as `Authorization: Bearer`. */
  token?: string;
  /** `[user, password]` for an app launched with `auth`: the client logs in first, as Gradio's does. */
  auth?: readonly [user: string, password: string];
}

interface GradioConfig {
  components: { id: number; type: string }[];
  dependencies: { api_name: string; outputs: number[] }[];
}

/** Connects to the app at `url` (its page's address). */
export async function connect<A = unknown>(url: string, options: ConnectOptions = {}): Promise<DaisClient<A>> {
  const base = url.endsWith("/") ? url : `${url}/`;
  const headers: Record<string, string> = { ...options.headers, ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
  if (options.auth) headers.Cookie = [headers.Cookie, await logIn(base, options.auth, headers)].filter(Boolean).join("; ");
  const response = await fetch(`${base}config`, { headers });
  if (!response.ok) throw new Error(`Could not reach the app at ${base} (HTTP ${response.status}).`);
  const config = (await response.json()) as GradioConfig;
  const states = new Set(config.components.filter((c) => c.type === "state").map((c) => c.id));
  /** Per endpoint, which result slots are states (sent as null, left out here). */
  const stateSlots = new Map(config.dependencies.map((d) => [`/${d.api_name}`, d.outputs.map((id) => states.has(id))]));
  const session = `dais-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

  async function* stream(name: string, args: unknown[]): AsyncGenerator<unknown[]> {
    const slots = stateSlots.get(name);
    if (!slots) throw new Error(`The app has no endpoint "${name}".`);
    const path = `${base}gradio_api/call/${encodeURIComponent(name.slice(1))}`;
    const posted = await fetch(path, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify({ data: args, session_hash: session }) });
    const answer = (await posted.json().catch(() => ({}))) as { event_id?: string; detail?: string };
    if (!posted.ok || !answer.event_id) throw new Error(answer.detail ?? `HTTP ${posted.status}`);
    const events = await fetch(`${path}/${answer.event_id}`, { headers });
    if (!events.ok || !events.body) throw new Error(`HTTP ${events.status}`);
    const visible = (data: unknown[]) => data.filter((_, i) => !slots[i]);
    for await (const { event, data } of serverEvents(events.body)) {
      if (event === "generating") yield visible(data as unknown[]);
      else if (event === "complete") return yield visible(data as unknown[]);
      else if (event === "error") throw new Error(typeof data === "string" ? data : "The run failed.");
    }
    throw new Error("The connection closed before the result.");
  }

  return {
    session,
    async predict(name, ...args) {
      let last: unknown[] | undefined;
      for await (const result of stream(name, args)) last = result;
      return last as never;
    },
    stream: (name, ...args) => stream(name, args) as never,
  };
}

/** Logs in at the app's `login` and returns the session cookie it sets (`name=value`). */
async function logIn(base: string, [user, password]: readonly [string, string], headers: Record<string, string>): Promise<string> {
  const form = new FormData();
  form.append("username", user);
  form.append("password", password);
  const res = await fetch(`${base}login`, { method: "POST", body: form, headers, redirect: "manual" });
  if (res.status === 401) throw new Error("Wrong username or password.");
  const cookies = (res.headers.getSetCookie?.() ?? [res.headers.get("set-cookie") ?? ""]).map((c) => c.split(";")[0] ?? "").filter((c) => c.includes("="));
  if (!res.ok || cookies.length === 0) throw new Error(`Could not log in at ${base}login (HTTP ${res.status}).`);
  return cookies.join("; ");
}

/** Parses a `text/event-stream` body into its events. */
async function* serverEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: unknown }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        }
        yield { event, data: data === "" ? null : (JSON.parse(data) as unknown) };
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
