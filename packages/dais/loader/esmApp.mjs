// `node --import <tsx> --import dais/loader/esmApp.mjs app.ts`: runs a user's app as an ES module
// whatever "type" their package.json has. `npm init -y` writes "type": "commonjs", under which
// tsx compiles app.ts to CommonJS and top-level await (`await app.launch()`) fails to compile.
// Registered after tsx, so these hooks run first and adjust what tsx's resolve decided.
import { register } from "node:module";
import { pathToFileURL } from "node:url";

const app = process.argv[1];
if (app) register("./esmAppHooks.mjs", import.meta.url, { data: { folder: pathToFileURL(`${app}/..`).href.replace(/\/?$/, "/") } });
