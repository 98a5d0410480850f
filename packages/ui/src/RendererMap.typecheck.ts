// Type tests for the renderer map, checked by `pnpm typecheck` (never bundled: nothing imports
// it). Each @ts-expect-error fails the build if the map stops refusing what it should refuse.
import { Json } from "./components/json/Json.tsx";
import { Textbox } from "./components/textbox/Textbox.tsx";
import { lazy } from "./lazy.ts";
import type { LazyRenderer, RendererMap } from "./Renderer.ts";
import { renderers } from "./renderers.ts";

// A lazily loaded renderer stands in for an eager one of the same kind.
export const lazyJson: RendererMap["json"] = lazy(() => Promise.resolve(Json));
export const lazyTextbox: LazyRenderer<"textbox"> = lazy(() => import("./components/textbox/Textbox.tsx").then((m) => m.Textbox));

// @ts-expect-error a renderer of another kind, eager
export const wrongEager: RendererMap["json"] = Textbox;
// @ts-expect-error a renderer of another kind, lazy
export const wrongLazy: RendererMap["json"] = lazy(() => Promise.resolve(Textbox));

// @ts-expect-error a map that misses a kind
export const missing: RendererMap = { ...renderers, json: undefined };
