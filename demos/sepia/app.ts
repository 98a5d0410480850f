// Gradio's classic: an image in, the same image in sepia out.
import { image, Interface } from "dais";
import { decode, encodePng, sepia } from "./sepia.ts";

function toSepia(picture: Uint8Array | null) {
  if (!picture) return null;
  return { data: encodePng(sepia(decode(picture))), name: "sepia.png", mimeType: "image/png" };
}

await new Interface({
  fn: toSepia,
  inputs: [image({ label: "Picture", type: "buffer" })],
  outputs: [image({ label: "Sepia" })],
  title: "Sepia",
  description: "Upload, paste or drop a picture (PNG or JPEG) and get it back in sepia tones.",
}).launch({ maxFileSize: 10 * 1024 * 1024 });
