import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { userError } from "dais";

/** Largest picture accepted, in pixels a side: a small file can still decode to gigabytes. */
export const maxSide = 4096;

/** Decoded pixels: 4 bytes a pixel (RGBA), rows top to bottom. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * The sepia tone of Gradio's demo: each pixel's red, green and blue mixed by the classic matrix
 * and clipped to 255, alpha kept. Changes `pixels` in place.
 */
export function sepia(pixels: Pixels): Pixels {
  const d = pixels.data;
  for (let i = 0; i < d.length; i += 4) {
    const r = d[i] as number;
    const g = d[i + 1] as number;
    const b = d[i + 2] as number;
    d[i] = Math.min(255, 0.393 * r + 0.769 * g + 0.189 * b);
    d[i + 1] = Math.min(255, 0.349 * r + 0.686 * g + 0.168 * b);
    d[i + 2] = Math.min(255, 0.272 * r + 0.534 * g + 0.131 * b);
  }
  return pixels;
}

/** PNG or JPEG bytes to pixels; anything else, or a picture too large, is refused in words. */
export function decode(bytes: Uint8Array): Pixels {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(1, 4).toString("latin1") === "PNG") {
    // The size is in the header: checked before anything is decompressed.
    const width = buffer.readUInt32BE(16);
    const height = buffer.readUInt32BE(20);
    if (width > maxSide || height > maxSide) throw userError(`The picture is ${width}×${height}; this demo takes at most ${maxSide} pixels a side.`);
    const png = PNG.sync.read(buffer);
    return { width: png.width, height: png.height, data: png.data };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xd8) {
    const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: (maxSide * maxSide) / 1e6, maxMemoryUsageInMB: 512 });
    return { width: img.width, height: img.height, data: img.data };
  }
  throw userError("Send a PNG or JPEG picture.");
}

export function encodePng(pixels: Pixels): Buffer {
  const png = new PNG({ width: pixels.width, height: pixels.height });
  png.data = Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
  return PNG.sync.write(png);
}
