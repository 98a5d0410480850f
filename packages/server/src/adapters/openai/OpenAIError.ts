import type { ErrorCode } from "@dais/core";
import type { Response } from "express";

/** A failure in OpenAI's shape (`{ error: { message, type, param, code } }`), so its clients raise their own error types. */
export class OpenAIError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "invalid_request_error",
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  get body() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  send(res: Response): void {
    res.status(this.status).json(this.body);
  }
}

/** A run's DaisError as OpenAI would report it: bad input 400, a full queue 503 (as Gradio), the rest 500. */
export function fromRunError(code: ErrorCode, message: string): OpenAIError {
  switch (code) {
    case "invalid_input":
      return new OpenAIError(400, message, "invalid_request_error", "messages", code);
    case "queue_full":
    case "shutting_down":
      return new OpenAIError(503, message, "server_error", null, code);
    case "timeout":
      return new OpenAIError(504, message, "server_error", null, code);
    default:
      return new OpenAIError(500, message, "server_error", null, code);
  }
}
