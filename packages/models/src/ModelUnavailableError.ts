/** Why a model could not be had. */
export type UnavailableReason = "folder" | "offline" | "network" | "not_on_hub" | "unauthorized" | "hub_error" | "corrupt";

export interface UnavailableDetails {
  /** The model as the user named it. */
  model: string;
  /** The folder looked in: the user's folder, or the Hub id's cache folder. */
  folder: string;
  /** Required files that are not in `folder`. */
  missing: readonly string[];
  /** False when `folder` itself does not exist. */
  folderExists?: boolean;
  /** A Hub id of this kind of model, to show where such files come from. */
  example?: string;
  reason: UnavailableReason;
  /** The Hub page, for a Hub id. */
  hubUrl?: string;
  /** What the network said, for download failures. */
  detail?: string;
}

const list = (files: readonly string[]) => files.join(", ");

/** User-facing messages, one per reason: what is missing, where we looked, how to get it. */
export const unavailableMessages: Record<UnavailableReason, (d: UnavailableDetails) => string> = {
  folder: (d) =>
    `Model "${d.model}" is not available: ${d.folderExists === false ? `the folder ${d.folder} does not exist` : `the folder ${d.folder} lacks ${list(d.missing)}`}. ` +
    `Put the model's files there (${list(d.missing)}), ` +
    `for example those of https://huggingface.co/${d.example ?? "Xenova/DialoGPT-small"}, or name a Hugging Face model id instead.`,
  offline: (d) =>
    `Model "${d.model}" is not available offline (DAIS_OFFLINE=1): it is not in ${d.folder} (missing ${list(d.missing)}). ` +
    `To get it, run once with network access and without DAIS_OFFLINE to download it there, or copy the files of ${d.hubUrl} into that folder.`,
  network: (d) =>
    `Model "${d.model}" could not be downloaded (${d.detail ?? "no network"}) and is not in ${d.folder} (missing ${list(d.missing)}). ` +
    `Run again with network access to download it there once, or copy the files of ${d.hubUrl} into that folder (then DAIS_OFFLINE=1 skips the network).`,
  not_on_hub: (d) =>
    `Model "${d.model}" was not found on the Hugging Face Hub (${d.detail ?? d.hubUrl}) and is not in ${d.folder} (missing ${list(d.missing)}). ` +
    `Check the id: it needs ONNX weights (${list(d.missing.filter((f) => f.startsWith("onnx/")))}), as the Xenova/ and onnx-community/ conversions have. ` +
    `Or copy the model's files into that folder.`,
  hub_error: (d) =>
    `Model "${d.model}" could not be downloaded: the Hub failed (${d.detail ?? "server error"}). This is usually passing: retry in a moment. ` +
    `Nothing broken was kept in ${d.folder}${d.missing.length ? ` (still missing ${list(d.missing)})` : ""}.`,
  corrupt: (d) =>
    `Model "${d.model}" could not be loaded from ${d.folder}: ${d.detail ?? "a file is broken"}. A file there is probably corrupt or truncated ` +
    `(an interrupted copy or download, or an error page saved as a model file). ` +
    (d.hubUrl
      ? `Retry with network access (Dais fetches the broken files again), or delete the folder ${d.folder} and run again to download it afresh.`
      : `Delete the folder ${d.folder} and copy the model's files there again, or retry once the copy is complete.`),
  unauthorized: (d) =>
    `Model "${d.model}" is gated or private on the Hugging Face Hub (${d.detail ?? d.hubUrl}), and is not in ${d.folder}. ` +
    `Accept its terms on ${d.hubUrl} and set HF_TOKEN to an access token, or copy its files into that folder.`,
};

/**
 * A model that is not on disk and cannot be downloaded. Its message says which model, where it
 * was looked for and how to get it, so demos print it as it is and exit.
 * @example
 * try { await dialogpt({ model: "./missing" }) } catch (e) { if (e instanceof ModelUnavailableError) console.error(e.message) }
 */
export class ModelUnavailableError extends Error {
  override readonly name = "ModelUnavailableError";
  readonly details: UnavailableDetails;

  constructor(details: UnavailableDetails, options?: { cause?: unknown }) {
    super(unavailableMessages[details.reason](details), options);
    this.details = details;
  }
}
