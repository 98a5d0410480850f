import { lazyModule } from "./useLazy.ts";

/** The chunk of chatExtras.ts, fetched the first time a chat needs any of it. */
export const chatExtras = lazyModule(() => import("./chatExtras.ts"));
