import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** Weight precision: the ONNX file transformers.js loads (`model.onnx`, `model_quantized.onnx`, `model_q4.onnx`). */
export type Dtype = "fp32" | "q8" | "q4";
export const dtypes = ["fp32", "q8", "q4"] as const satisfies readonly Dtype[];

/** What the model is: decoder-only (one ONNX file) or encoder-decoder (two). */
export type ModelKind = "causal" | "seq2seq";

/** Where a model's files are: a folder the user named, or a Hub id and its cache folder. */
export type ModelSource =
  | { kind: "folder"; name: string; dir: string }
  | { kind: "hub"; name: string; id: string; dir: string };

const SUFFIX: Record<Dtype, string> = { fp32: "", q8: "_quantized", q4: "_q4" };
const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

/** Where downloaded models are kept: $DAIS_MODELS_CACHE, else ~/.cache/dais/models (or $XDG_CACHE_HOME/dais/models). */
export function defaultCacheDir(): string {
  if (process.env.DAIS_MODELS_CACHE) return resolve(process.env.DAIS_MODELS_CACHE);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "dais", "models");
}

/** True when DAIS_OFFLINE (or Hugging Face's HF_HUB_OFFLINE) is set to 1/true. */
export function offlineFromEnv(): boolean {
  return [process.env.DAIS_OFFLINE, process.env.HF_HUB_OFFLINE].some((v) => v === "1" || v?.toLowerCase() === "true");
}

/**
 * Tells a folder from a Hub id. A path (absolute, `./`, `../`, `~/`) or an existing folder is a
 * folder; an `org/name` that is not a folder here is a Hub id, cached under `cacheDir/org/name`.
 * @example resolveModelSource("Xenova/DialoGPT-small", "/home/me/.cache/dais/models").dir // ".../Xenova/DialoGPT-small"
 */
export function resolveModelSource(model: string, cacheDir: string): ModelSource {
  const expanded = model.startsWith("~/") ? join(homedir(), model.slice(2)) : model;
  const looksLikePath = isAbsolute(expanded) || /^\.\.?([/\\]|$)/.test(expanded) || expanded !== model;
  const isFolder = existsSync(expanded) && statSync(expanded).isDirectory();
  if (looksLikePath || isFolder || !HUB_ID.test(model)) return { kind: "folder", name: model, dir: resolve(expanded) };
  return { kind: "hub", name: model, id: model, dir: join(cacheDir, ...model.split("/")) };
}

/** The files a model of this kind needs, as paths inside its folder. */
export function requiredFiles(kind: ModelKind, dtype: Dtype): string[] {
  const sessions = kind === "causal" ? ["model"] : ["encoder_model", "decoder_model_merged"];
  return ["config.json", "tokenizer.json", "tokenizer_config.json", ...sessions.map((s) => `onnx/${s}${SUFFIX[dtype]}.onnx`)];
}

/** The required files missing from `dir`. */
export function missingFiles(dir: string, kind: ModelKind, dtype: Dtype): string[] {
  return requiredFiles(kind, dtype).filter((f) => !existsSync(join(dir, f)));
}
