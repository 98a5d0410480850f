import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatMessage } from "@dais/core";
import { blenderbot, chatModel, defaultCacheDir, dialogpt, type GenerateContext, type ModelOptions, offlineFromEnv, resolveModelSource } from "@dais/models";
import type { ChatFlags } from "./parseChatFlags.ts";

/** Which predict function of `@dais/models` a model gets. */
export type ChatFamily = "dialogpt" | "blenderbot" | "chatModel";

/** What `dais chat` needs of a loaded model: its family (only chatModel reads a system prompt) and its `.chat` form. */
export interface ChatPredict {
  family: ChatFamily;
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  dispose(): Promise<void>;
}

/**
 * The family for a config.json `model_type`: GPT-2 is DialoGPT, BlenderBot (and its small
 * variant) is BlenderBot, anything else goes to chatModel(), which needs a chat template and
 * says so clearly when there is none. Without a config, the model's name decides.
 * @example chatFamily("gpt2", "./my-model") // "dialogpt"
 */
export function chatFamily(modelType: string | undefined, name: string): ChatFamily {
  const type = modelType ?? (/dialogpt/i.test(name) ? "gpt2" : /blenderbot/i.test(name) ? "blenderbot" : undefined);
  if (type === "gpt2") return "dialogpt";
  if (type === "blenderbot" || type === "blenderbot-small" || type === "blenderbot_small") return "blenderbot";
  return "chatModel";
}

/**
 * config.json's `model_type`, from the model's folder (or its download cache); for a Hub id not
 * downloaded yet, from the Hub (one small file), unless offline. Undefined when it cannot be read:
 * loading then reports what is missing.
 */
export async function readModelType(model: string, cacheDir = defaultCacheDir()): Promise<string | undefined> {
  const source = resolveModelSource(model, cacheDir);
  const local = join(source.dir, "config.json");
  if (existsSync(local)) return modelTypeOf(readFileSync(local, "utf8"));
  if (source.kind !== "hub" || offlineFromEnv()) return undefined;
  const hub = process.env.HF_ENDPOINT ?? "https://huggingface.co/";
  try {
    const response = await fetch(`${hub.endsWith("/") ? hub : `${hub}/`}${source.id}/resolve/main/config.json`, {
      headers: process.env.HF_TOKEN ? { authorization: `Bearer ${process.env.HF_TOKEN}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? modelTypeOf(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

function modelTypeOf(json: string): string | undefined {
  try {
    const type = (JSON.parse(json) as { model_type?: unknown }).model_type;
    return typeof type === "string" ? type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads a model with the predict function its config.json calls for. Throws what the models
 * package throws: ModelUnavailableError, NoChatTemplateError, RangeError for a bad option.
 * @example const predict = await loadChatPredict("onnx-community/Qwen2.5-0.5B-Instruct", { maxNewTokens: 10 });
 */
export async function loadChatPredict(model: string, flags: Omit<ChatFlags, "system">, extra: Omit<ModelOptions, "model" | "dtype"> = {}): Promise<ChatPredict> {
  const family = chatFamily(await readModelType(model, extra.cacheDir), model);
  // No system option: the chat sends its system prompt as a message, so /system can change it.
  const common = { ...extra, ...flags, model };
  const predict = family === "dialogpt" ? await dialogpt(common) : family === "blenderbot" ? await blenderbot(common) : await chatModel(common);
  return { family, chat: predict.chat, dispose: predict.dispose };
}
