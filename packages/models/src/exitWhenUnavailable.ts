import { NoChatTemplateError } from "./chatModel.ts";
import { ModelUnavailableError } from "./ModelUnavailableError.ts";

/**
 * For apps and demos: a model that cannot be had (or cannot chat) is the user's to fix, not a
 * bug, so print its message alone, without a stack trace, and exit with status 1. Anything else
 * is rethrown.
 * @example const predict = await dialogpt({ model: "./models/dialogpt" }).catch(exitWhenUnavailable);
 */
export function exitWhenUnavailable(error: unknown): never {
  if (error instanceof ModelUnavailableError || error instanceof NoChatTemplateError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
