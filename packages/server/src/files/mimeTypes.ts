const byExtension: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", avif: "image/avif", bmp: "image/bmp", svg: "image/svg+xml", ico: "image/x-icon",
  wav: "audio/wav", mp3: "audio/mpeg", ogg: "audio/ogg", oga: "audio/ogg", opus: "audio/ogg", flac: "audio/flac", m4a: "audio/mp4", aac: "audio/aac", weba: "audio/webm",
  mp4: "video/mp4", webm: "video/webm", ogv: "video/ogg", mov: "video/quicktime", mkv: "video/x-matroska",
  txt: "text/plain", csv: "text/csv", json: "application/json", pdf: "application/pdf", zip: "application/zip", md: "text/markdown", html: "text/html", htm: "text/html",
};

/** The type a file's name says, else what its first bytes say, else `application/octet-stream`. */
export function guessMimeType(name: string, head?: Uint8Array): string {
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return byExtension[ext] ?? (head ? sniff(head) : undefined) ?? "application/octet-stream";
}

/** The extension for a type, for naming fn's bytes: `image/png` -> `png`. */
export function extensionOf(mimeType: string): string {
  for (const [ext, type] of Object.entries(byExtension)) if (type === mimeType) return ext;
  return "bin";
}

function sniff(b: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0x89 && ascii(1, 4) === "PNG") return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(0, 4) === "GIF8") return "image/gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WAVE") return "audio/wav";
  if (ascii(0, 4) === "OggS") return "audio/ogg";
  if (ascii(0, 3) === "ID3" || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return "audio/mpeg";
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return "video/webm";
  if (ascii(4, 8) === "ftyp") return "video/mp4";
  if (ascii(0, 5) === "%PDF-") return "application/pdf";
  return undefined;
}

/**
 * Types a browser may show inline from this app's origin. Anything else (HTML, SVG, scripts) is
 * served as a download, so an uploaded page cannot run as the app.
 */
export function showsInline(mimeType: string): boolean {
  return /^(image\/(png|jpeg|gif|webp|avif|bmp|x-icon)|audio\/[\w.+-]+|video\/[\w.+-]+|text\/plain|text\/csv|application\/pdf|application\/json)$/.test(mimeType);
}
