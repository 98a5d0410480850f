import type { FeedbackHandler } from "./FeedbackEvent.ts";
import type { Theme } from "./theme.ts";
import { version } from "./version.ts";

/** Options every kind of app takes. */
export interface AppOptions {
  title?: string;
  /** Shown under the title; Markdown. */
  description?: string;
  /** Shown under the app; Markdown. */
  article?: string;
  /** Light/dark mode and design tokens. */
  theme?: Theme;
  /** Extra CSS for this app, added after the default styles. */
  css?: string;
  /** Receives likes, dislikes and flags on bot messages. */
  onFeedback?: FeedbackHandler;
  /** Where feedback is logged (JSONL) when there is no `onFeedback`. Default `flagged`. */
  flaggingDir?: string;
}

/** The parts of an app's config and plan that come from its options alone. */
export function appBase(options: AppOptions) {
  return {
    config: {
      version,
      title: options.title ?? "",
      description: options.description ?? "",
      article: options.article ?? "",
      theme: options.theme ?? {},
      css: options.css ?? "",
    },
    onFeedback: options.onFeedback,
    flaggingDir: options.flaggingDir ?? "flagged",
  };
}
