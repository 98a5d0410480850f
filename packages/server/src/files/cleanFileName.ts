/**
 * A file name as a person sent it, made safe to keep and show: no folders (`../x`, `C:\x`), no
 * control characters, at most 200 characters (the extension kept). Never empty.
 */
export function cleanFileName(name: string | undefined, fallback = "file"): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  let clean = base.replace(/[\u0000-\u001f\u007f"<>|?*:]/g, "_").trim();
  if (clean === "" || /^\.+$/.test(clean)) clean = fallback;
  if (clean.length > 200) {
    const dot = clean.lastIndexOf(".");
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : "";
    clean = clean.slice(0, 200 - ext.length) + ext;
  }
  return clean;
}
