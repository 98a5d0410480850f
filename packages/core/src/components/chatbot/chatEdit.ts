import { type Component, invalidInput } from "../../Component.ts";

/** A request to edit message `index` of the conversation so that it reads `text`. */
export interface ChatEdit {
  index: number;
  text: string;
}

/** Longest conversation an edit can point into, and the longest text it may carry by default. */
export const chatEditLimits = { index: 100_000, text: 100_000 } as const;

/**
 * The carrier of ChatInterface's edit command: a value the page sets and sends with the edit
 * function's run. It is checked where it enters (here, before fn runs): exactly an index and a
 * text, the index a whole number in range, the text within `maxLength`. Whether the index
 * points at a user message is for the edit function to say, since only it sees the history.
 * @example chatEdit(4000).preprocess({ index: 2, text: "Better question" })
 */
export function chatEdit(maxLength: number = chatEditLimits.text): Component<"json", ChatEdit, unknown, unknown, { label: string }> {
  return {
    kind: "json",
    props: { label: "Edited message" },
    initial: null,
    preprocess(raw) {
      const r = raw as Record<string, unknown> | null;
      const ok =
        typeof r === "object" &&
        r !== null &&
        !Array.isArray(r) &&
        Object.keys(r).length === 2 &&
        typeof r.index === "number" &&
        Number.isInteger(r.index) &&
        r.index >= 0 &&
        r.index < chatEditLimits.index &&
        typeof r.text === "string" &&
        r.text.length <= maxLength;
      if (!ok) throw invalidInput("json", this.props, `{ index, text } with a message number and at most ${maxLength} characters`, raw);
      return { index: r.index as number, text: r.text as string };
    },
    postprocess: (value) => value,
  };
}
