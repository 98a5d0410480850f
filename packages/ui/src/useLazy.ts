import { useEffect, useState } from "preact/hooks";

/** A module fetched with import() the first time a page needs it, then kept. */
export interface LazyModule<M> {
  readonly loaded: M | undefined;
  load(): Promise<M>;
}

/** @example const blocks = lazyModule(() => import("./ChatBlocks.tsx")); */
export function lazyModule<M>(importer: () => Promise<M>): LazyModule<M> {
  let loading: Promise<M> | undefined;
  const module: { loaded: M | undefined; load(): Promise<M> } = {
    loaded: undefined,
    load: () => (loading ??= importer().then((m) => (module.loaded = m))),
  };
  return module;
}

/**
 * The module once `needed` has been true and it has come; until then undefined, and the
 * caller shows what it can without it. A page that never needs it never fetches it.
 */
export function useLazy<M>(module: LazyModule<M>, needed: boolean): M | undefined {
  const [, setReady] = useState(module.loaded);
  useEffect(() => {
    if (!needed || module.loaded) return;
    let live = true;
    void module.load().then((m) => live && setReady(m));
    return () => {
      live = false;
    };
  }, [needed, module]);
  return needed ? module.loaded : undefined;
}
