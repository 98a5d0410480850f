import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** Weight precision: the ONNX file transformers.js loads (`model.onnx`, `model_quantized.onnx`, `model_q4.onnx`, `model_fp16.onnx`). */
export type Dtype = "fp32" | "q8" | "q4" | "fp16";
export const dtypes = ["fp32", "q8", "q4", "fp16"] as const satisfies readonly Dtype[];

/** What the model is: decoder-only (one ONNX file) or encoder-decoder (two). */
export type ModelKind = "causal" | "seq2seq";

/** Where a model's files are: a folder the user named, or a Hub id and its cache folder. */
export type ModelSource =
  | { kind: "folder"; name: string; dir: string }
  | { kind: "hub"; name: string; id: string; dir: string };

const SUFFIX: Record<Dtype, string> = { fp32: "", q8: "_quantized", q4: "_q4", fp16: "_fp16" };
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

/**
 * The ways Hub repositories name a model's ONNX files, preferred first: newer exports have
 * `onnx/model.onnx`, older conversions `onnx/decoder_model_merged.onnx` (or only
 * `decoder_with_past_model.onnx`); encoder-decoder models `encoder_model` and
 * `decoder_model_merged`. `fileName` is what transformers.js is told to load (`model_file_name`).
 */
export interface OnnxLayout {
  fileName?: string;
  /** The ONNX files, as paths inside the model's folder. */
  files: string[];
}

export function onnxLayouts(kind: ModelKind, dtype: Dtype): OnnxLayout[] {
  const f = (name: string) => `onnx/${name}${SUFFIX[dtype]}.onnx`;
  if (kind === "seq2seq") return [{ files: [f("encoder_model"), f("decoder_model_merged")] }];
  return [{ files: [f("model")] }, { fileName: "decoder_model_merged", files: [f("decoder_model_merged")] }, { fileName: "decoder_with_past_model", files: [f("decoder_with_past_model")] }];
}

/** The files besides the ONNX weights that every model needs. */
export const commonFiles = ["config.json", "tokenizer.json", "tokenizer_config.json"];

/** The first layout whose files `has` says are there, else undefined. */
export function pickLayout(kind: ModelKind, dtype: Dtype, has: (file: string) => boolean): OnnxLayout | undefined {
  return onnxLayouts(kind, dtype).find((l) => l.files.every(has));
}

/** The files a model of this kind needs (in its preferred layout, or the one given). */
export function requiredFiles(kind: ModelKind, dtype: Dtype, layout: OnnxLayout = onnxLayouts(kind, dtype)[0]!): string[] {
  return [...commonFiles, ...layout.files];
}

/** The required files missing from `dir`, in whichever layout the folder has (else the preferred one). */
export function missingFiles(dir: string, kind: ModelKind, dtype: Dtype): string[] {
  const layout = pickLayout(kind, dtype, (f) => existsSync(join(dir, f)));
  return requiredFiles(kind, dtype, layout).filter((f) => !existsSync(join(dir, f)));
}
