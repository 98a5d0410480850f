// Loader hooks for esmApp.mjs: a script of the app's folder (not node_modules, not .cts/.cjs)
// is an ES module unless it reads as CommonJS (uses require, module.exports or __dirname and has
// no import or export), the way Node's own syntax detection treats a package with no "type".
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let folder = "";

/** @param {{ folder: string }} data */
export function initialize(data) {
  folder = data.folder;
}

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const { url } = resolved;
  if (resolved.format === "commonjs" || resolved.format === "commonjs-typescript") {
    if (url.startsWith(folder) && !url.includes("/node_modules/") && /\.[jt]sx?$/.test(url) && readsAsModule(url)) {
      return { ...resolved, format: /\.tsx?$/.test(url) ? "module-typescript" : "module" };
    }
  }
  return resolved;
}

function readsAsModule(url) {
  let source;
  try {
    source = readFileSync(fileURLToPath(url), "utf8");
  } catch {
    return false;
  }
  if (/^\s*(import|export)\b/m.test(source)) return true;
  return !/\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w|\b__dirname\b|\b__filename\b/.test(source);
}
