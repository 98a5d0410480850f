import { existsSync } from "node:fs";
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer } from "@huggingface/transformers";
import { defaultCacheDir, type Dtype, dtypes, missingFiles, type ModelKind, type ModelSource, offlineFromEnv, resolveModelSource } from "./ModelSource.ts";
import { ModelUnavailableError, type UnavailableReason } from "./ModelUnavailableError.ts";
import { terminalProgress } from "./terminalProgress.ts";

/** Loading events, as transformers.js reports them, plus `ready` once model and tokenizer are loaded. */
export type ModelProgress =
  | { status: "initiate" | "download" | "done"; name: string; file: string }
  | { status: "progress"; name: string; file: string; progress: number; loaded: number; total: number }
  | { status: "progress_total"; name: string; progress: number; loaded: number; total: number }
  | { status: "ready"; name: string };

export interface ModelOptions {
  /** A Hugging Face model id (downloaded once into `cacheDir`) or a folder holding the model's files. */
  model?: string;
  /** Weight precision: fp32 (`onnx/model.onnx`), q8 (`model_quantized.onnx`) or q4 (`model_q4.onnx`). Default fp32. */
  dtype?: Dtype;
  /** Where downloads are kept. Default $DAIS_MODELS_CACHE, else ~/.cache/dais/models. */
  cacheDir?: string;
  /** Never download. Default: on when DAIS_OFFLINE=1 (or HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** The Hub to download from. Default $HF_ENDPOINT, else https://huggingface.co/. */
  hubUrl?: string;
  /** Called with every loading event: files started, bytes received, files done, ready. */
  onProgress?: (event: ModelProgress) => void;
  /** Draw download progress on stderr. Default true. */
  progressBar?: boolean;
}

export interface LoadedModel {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  source: ModelSource;
  dtype: Dtype;
}

/**
 * Loads a model and its tokenizer onto the CPU from a folder, the download cache, or the Hub
 * (downloading into the cache, with progress). A model that cannot be had throws a
 * ModelUnavailableError whose message names the model, the folder looked in and how to get it.
 * Note: downloads set transformers.js's process-wide `env.cacheDir` and `env.remoteHost`.
 * @example const { model, tokenizer } = await loadModel("causal", { model: "Xenova/DialoGPT-small", dtype: "q8" });
 */
export async function loadModel(kind: ModelKind, options: ModelOptions & { model: string; example?: string }): Promise<LoadedModel> {
  const dtype = options.dtype ?? "fp32";
  if (!dtypes.includes(dtype)) throw new RangeError(`dtype must be one of ${dtypes.join(", ")}, got ${String(dtype)}.`);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const source = resolveModelSource(options.model, cacheDir);
  const missing = missingFiles(source.dir, kind, dtype);
  const unavailable = (reason: UnavailableReason, detail?: string, cause?: unknown) =>
    new ModelUnavailableError(
      {
        model: options.model,
        folder: source.dir,
        missing: missingFiles(source.dir, kind, dtype),
        folderExists: existsSync(source.dir),
        reason,
        ...(options.example ? { example: options.example } : {}),
        ...(source.kind === "hub" ? { hubUrl: `${hubUrl(options)}${source.id}` } : {}),
        ...(detail ? { detail } : {}),
      },
      { cause },
    );

  const onProgress = options.onProgress;
  const failed = (e: unknown) => new Error(`Could not load model "${options.model}" from ${source.dir}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  // A folder (or a complete download) loads by path: transformers.js then never touches the network.
  if (missing.length === 0) {
    try {
      return finish(await load(kind, source.dir, dtype, { progress_callback: onProgress ?? null }), source, dtype, onProgress);
    } catch (e) {
      throw failed(e);
    }
  }
  if (source.kind === "folder") throw unavailable("folder");
  if (options.offline ?? offlineFromEnv()) throw unavailable("offline");

  env.remoteHost = hubUrl(options);
  env.cacheDir = cacheDir;
  const bar = options.progressBar === false ? undefined : terminalProgress();
  try {
    const loaded = await load(kind, source.id, dtype, {
      cache_dir: cacheDir,
      progress_callback: (e: ModelProgress) => {
        bar?.update(e);
        onProgress?.(e);
      },
    });
    return finish(loaded, source, dtype, onProgress);
  } catch (e) {
    const reason = downloadFailure(e);
    if (reason) throw unavailable(reason.reason, reason.detail, e);
    throw failed(e);
  } finally {
    bar?.stop();
  }
}

function hubUrl(options: ModelOptions): string {
  const url = options.hubUrl ?? process.env.HF_ENDPOINT ?? "https://huggingface.co/";
  return url.endsWith("/") ? url : `${url}/`;
}

async function load(kind: ModelKind, path: string, dtype: Dtype, extra: { cache_dir?: string; progress_callback: ((e: ModelProgress) => void) | null }) {
  const Model = kind === "causal" ? AutoModelForCausalLM : AutoModelForSeq2SeqLM;
  const common = { ...extra, progress_callback: extra.progress_callback as never };
  const [model, tokenizer] = await Promise.all([Model.from_pretrained(path, { ...common, dtype, device: "cpu" }), AutoTokenizer.from_pretrained(path, common)]);
  return { model, tokenizer };
}

function finish(loaded: { model: PreTrainedModel; tokenizer: PreTrainedTokenizer }, source: ModelSource, dtype: Dtype, onProgress?: (e: ModelProgress) => void): LoadedModel {
  onProgress?.({ status: "ready", name: source.name });
  return { ...loaded, source, dtype };
}

/** Classifies what transformers.js threw while downloading; undefined for anything else. */
function downloadFailure(e: unknown): { reason: UnavailableReason; detail: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const status = (e as { status?: number | null }).status;
  if (e.name === "ModelFileNotFoundError") {
    const url = /"(https?:[^"]+)"/.exec(e.message)?.[1];
    const detail = status && url ? `HTTP ${status} for ${url}` : e.message;
    return { reason: status === 401 || status === 403 ? "unauthorized" : "not_on_hub", detail };
  }
  // The tokenizer's existence check answers "no tokenizer" for a 404, and loading then fails here.
  if (/reading 'tokenizer_class'/.test(e.message)) return { reason: "not_on_hub", detail: "no tokenizer_config.json" };
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (e.message === "fetch failed" || cause?.code) return { reason: "network", detail: cause?.code ?? cause?.message ?? e.message };
  return undefined;
}
