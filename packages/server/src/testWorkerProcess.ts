// A worker process for tests: `node --import tsx testWorkerProcess.ts` with DAIS_REDIS_URL and
// DAIS_REDIS_PREFIX set. It loads "the model" only because it runs functions, as an app would.
import { launch } from "./launch.ts";
import { runsFunctions } from "./processRole.ts";
import { workerApp } from "./testWorkerApp.ts";

if (runsFunctions()) console.log(`model loaded in ${process.pid}`);
await launch(workerApp, { assets: "", role: "worker", workerLockMs: 1000 });
