import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from "@huggingface/transformers";
import { cacheIsIntact, DownloadError, downloadModel } from "./downloadModel.ts";
import {
  defaultCacheDir,
  type Dtype,
  dtypes,
  missingFiles,
  type ModelKind,
  type ModelSource,
  type OnnxLayout,
  offlineFromEnv,
  pickLayout,
  requiredFiles,
  resolveModelSource,
} from "./ModelSource.ts";
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
  /** Weight precision: fp32 (`onnx/model.onnx`), q8 (`model_quantized.onnx`), q4 (`model_q4.onnx`) or fp16 (`model_fp16.onnx`); older layouts (`decoder_model_merged*.onnx`) too. Default fp32. */
  dtype?: Dtype;
  /** Where downloads are kept. Default $DAIS_MODELS_CACHE, else ~/.cache/dais/models. */
  cacheDir?: string;
  /** Never download. Default: on when DAIS_OFFLINE=1 (or HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** The Hub to download from. Default $HF_ENDPOINT, else https://huggingface.co/. $HF_TOKEN is sent to it. */
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
 * (downloading into the cache, with progress, in whichever ONNX layout the repository has). A
 * model that cannot be had throws a ModelUnavailableError whose message names the model, the
 * folder looked in and how to get it; a cached download that turns out broken is fetched again.
 * @example const { model, tokenizer } = await loadModel("causal", { model: "Xenova/DialoGPT-small", dtype: "q8" });
 */
export async function loadModel(kind: ModelKind, options: ModelOptions & { model: string; example?: string }): Promise<LoadedModel> {
  const dtype = options.dtype ?? "fp32";
  if (!dtypes.includes(dtype)) throw new RangeError(`dtype must be one of ${dtypes.join(", ")}, got ${String(dtype)}.`);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const source = resolveModelSource(options.model, cacheDir);
  const dir = source.dir;
  const unavailable = (reason: UnavailableReason, detail?: string, cause?: unknown) =>
    new ModelUnavailableError(
      {
        model: options.model,
        folder: dir,
        missing: missingFiles(dir, kind, dtype),
        folderExists: existsSync(dir),
        reason,
        ...(options.example ? { example: options.example } : {}),
        ...(source.kind === "hub" ? { hubUrl: `${hubUrl(options)}${source.id}` } : {}),
        ...(detail ? { detail } : {}),
      },
      { cause },
    );
  const onProgress = options.onProgress;
  const local = () => {
    const layout = pickLayout(kind, dtype, (f) => existsSync(join(dir, f)));
    return layout && missingFiles(dir, kind, dtype).length === 0 ? layout : undefined;
  };
  const loadFrom = async (layout: OnnxLayout) => {
    const broken = brokenJson(dir);
    if (broken) throw new Error(`${broken} is not valid JSON`);
    return finish(await load(kind, dir, dtype, layout, onProgress ?? null), source, dtype, onProgress);
  };
  const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

  if (source.kind === "folder") {
    const layout = local();
    if (!layout) throw unavailable("folder");
    try {
      return await loadFrom(layout);
    } catch (e) {
      throw unavailable("corrupt", reason(e), e);
    }
  }

  // A Hub id: its cache folder, when complete and as the download recorded it, loads without the network.
  const offline = options.offline ?? offlineFromEnv();
  const cached = local();
  const check = cached ? cacheIsIntact(dir, requiredFiles(kind, dtype, cached)) : undefined;
  let loadFailure: unknown;
  if (cached && check?.intact) {
    try {
      return await loadFrom(cached);
    } catch (e) {
      loadFailure = e;
    }
  }
  if (offline) {
    if (loadFailure) throw unavailable("corrupt", reason(loadFailure), loadFailure);
    if (check && !check.intact) throw unavailable("corrupt", `${check.bad.join(", ")} differ from what was downloaded`);
    throw unavailable("offline");
  }

  const bar = options.progressBar === false ? undefined : terminalProgress();
  let layout: OnnxLayout;
  try {
    const token = process.env.HF_TOKEN ?? process.env.HUGGING_FACE_HUB_TOKEN;
    layout = await downloadModel({
      id: source.id,
      dir,
      hubUrl: hubUrl(options),
      kind,
      dtype,
      ...(token ? { token } : {}),
      // A cache that looked complete but would not load: fetch every file again.
      force: loadFailure !== undefined,
      onProgress: (e) => {
        bar?.update(e);
        onProgress?.(e);
      },
    });
  } catch (e) {
    if (!(e instanceof DownloadError)) throw e;
    const reasons: Record<DownloadError["kind"], UnavailableReason> = { not_found: "not_on_hub", unauthorized: "unauthorized", server: "hub_error", network: "network", truncated: "hub_error" };
    throw unavailable(reasons[e.kind], e.detail, e);
  } finally {
    bar?.stop();
  }
  try {
    return await loadFrom(layout);
  } catch (e) {
    throw unavailable("corrupt", reason(e), e);
  }
}

function hubUrl(options: ModelOptions): string {
  const url = options.hubUrl ?? process.env.HF_ENDPOINT ?? "https://huggingface.co/";
  return url.endsWith("/") ? url : `${url}/`;
}

async function load(kind: ModelKind, path: string, dtype: Dtype, layout: OnnxLayout, progress: ((e: ModelProgress) => void) | null) {
  const Model = kind === "causal" ? AutoModelForCausalLM : AutoModelForSeq2SeqLM;
  const common = { progress_callback: progress as never, local_files_only: true };
  const external = layout.files.some((f) => existsSync(join(path, `${f}_data`)));
  const [model, tokenizer] = await Promise.all([
    Model.from_pretrained(path, {
      ...common,
      dtype,
      device: "cpu",
      ...(layout.fileName ? { model_file_name: layout.fileName } : {}),
      ...(external ? { use_external_data_format: true } : {}),
    }),
    AutoTokenizer.from_pretrained(path, common),
  ]);
  return { model, tokenizer };
}

/** The first JSON file of the model that does not parse (an HTML error page saved as config.json, a cut-off download). */
function brokenJson(dir: string): string | undefined {
  for (const file of ["config.json", "tokenizer_config.json", "tokenizer.json", "generation_config.json"]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      JSON.parse(readFileSync(path, "utf8"));
    } catch {
      return file;
    }
  }
  return undefined;
}

function finish(loaded: { model: PreTrainedModel; tokenizer: PreTrainedTokenizer }, source: ModelSource, dtype: Dtype, onProgress?: (e: ModelProgress) => void): LoadedModel {
  onProgress?.({ status: "ready", name: source.name });
  return { ...loaded, source, dtype };
}
