import { chatExtras } from "../../chatExtrasModule.ts";
import { useLazy } from "../../useLazy.ts";

/**
 * Thinking blocks, tool calls and the edit box, once a turn needs them: a chat that never
 * shows one never fetches them, which keeps the chat page within its budget. Until they have
 * come (a moment, on the first such turn) the turn shows nothing in their place.
 */
export const useChatBlocks = (needed: boolean) => useLazy(chatExtras, needed);
