import { Button } from "./components/button/Button.tsx";
import { Chatbot } from "./components/chatbot/Chatbot.tsx";
import { Checkbox } from "./components/checkbox/Checkbox.tsx";
import { Dropdown } from "./components/dropdown/Dropdown.tsx";
import { Json } from "./components/json/Json.tsx";
import { Label } from "./components/label/Label.tsx";
import { Markdown } from "./components/markdown/Markdown.tsx";
import { NumberInput } from "./components/number/NumberInput.tsx";
import { Slider } from "./components/slider/Slider.tsx";
import { Textbox } from "./components/textbox/Textbox.tsx";
import { lazy } from "./lazy.ts";
import type { RendererMap } from "./Renderer.ts";

/**
 * One renderer per visible kind; a kind added to core without a renderer here fails to compile.
 * The light kinds most pages use are in the main bundle; every other kind is `lazy(...)`: a
 * chunk of its own, fetched only by a page that has one (see CONTRIBUTING.md, "Adding a component").
 */
export const renderers: RendererMap = {
  textbox: Textbox,
  number: NumberInput,
  checkbox: Checkbox,
  slider: Slider,
  dropdown: Dropdown,
  markdown: Markdown,
  json: Json,
  label: Label,
  chatbot: Chatbot,
  button: Button,
  dataframe: lazy(() => import("./components/dataframe/Dataframe.tsx").then((m) => m.Dataframe)),
  code: lazy(() => import("./components/code/Code.tsx").then((m) => m.Code)),
  html: lazy(() => import("./components/html/Html.tsx").then((m) => m.Html)),
  plot: lazy(() => import("./components/plot/Plot.tsx").then((m) => m.Plot)),
  image: lazy(() => import("./components/image/Image.tsx").then((m) => m.Image)),
  audio: lazy(() => import("./components/audio/Audio.tsx").then((m) => m.Audio)),
  video: lazy(() => import("./components/video/Video.tsx").then((m) => m.Video)),
  file: lazy(() => import("./components/file/FileList.tsx").then((m) => m.FileList)),
  gallery: lazy(() => import("./components/gallery/Gallery.tsx").then((m) => m.Gallery)),
  multimodalTextbox: lazy(() => import("./components/multimodalTextbox/MultimodalTextbox.tsx").then((m) => m.MultimodalTextbox)),
};
