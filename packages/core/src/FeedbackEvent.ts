import type { ChatMessage } from "./components/chatbot/chatbot.ts";

export const feedbackValues = ["like", "dislike", "flag"] as const;
export type FeedbackValue = (typeof feedbackValues)[number];

/** What a tester said about one bot message. */
export interface FeedbackEvent {
  /** When, as an ISO string. */
  time: string;
  session: string;
  /** The chatbot component's label. */
  chatbot: string;
  /** Index of the message in the conversation. */
  index: number;
  /** `null` takes back an earlier like or dislike. */
  value: FeedbackValue | null;
  message: ChatMessage;
  /** The conversation up to and including the message. */
  history: ChatMessage[];
  comment?: string;
}

/** Called for every like, dislike and flag; without one, the server appends them to a JSONL file. */
export type FeedbackHandler = (event: FeedbackEvent) => void | Promise<void>;
