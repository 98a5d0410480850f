import type { VisibleKind } from "@dais/core";
import { h } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Renderer, RendererProps } from "./Renderer.ts";

/**
 * A renderer fetched the first time a page shows its kind (`import()`), so pages without that
 * kind, the chat page above all, never download it. Shows nothing until it has loaded (a few
 * kilobytes from the same server).
 */
export function lazyRenderer<K extends VisibleKind>(load: () => Promise<Renderer<K>>): Renderer<K> {
  let loaded: Renderer<K> | undefined;
  let loading: Promise<Renderer<K>> | undefined;
  return function Lazy(props: RendererProps<K>) {
    const [render, setRender] = useState<Renderer<K> | undefined>(() => loaded);
    useEffect(() => {
      if (render) return;
      let live = true;
      loading ??= load().then((r) => (loaded = r));
      void loading.then((r) => live && setRender(() => r));
      return () => {
        live = false;
      };
    }, []);
    return render ? h(render, props) : null;
  };
}
