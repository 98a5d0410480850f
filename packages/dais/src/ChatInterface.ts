import { ChatInterface as CoreChatInterface, type ComponentSpec } from "@dais/core";
import type { Launched, LaunchOptions } from "@dais/server";
import { launchApp } from "./launchApp.ts";

/**
 * A chatbot page: conversation, message box, Stop, Retry, Undo, Clear, examples, feedback.
 * @example
 * await new ChatInterface({ fn: (message, history) => `You said: ${message}` }).launch();
 */
export class ChatInterface<const A extends readonly ComponentSpec[] = [], const M extends boolean = false> extends CoreChatInterface<A, M> {
  /** Serves the app; resolves to its URL and a `close()`. */
  launch(options: LaunchOptions = {}): Promise<Launched> {
    return launchApp(this, options);
  }
}
