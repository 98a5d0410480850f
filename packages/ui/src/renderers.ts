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
import type { RendererMap } from "./Renderer.ts";
import { lazyRenderer } from "./lazyRenderer.tsx";

/** One renderer per visible kind; a kind added to core without a renderer here fails to compile. */
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
  // Loaded when a page first shows one, so the chat page stays within its budget.
  image: lazyRenderer(() => import("./components/image/Image.tsx").then((m) => m.Image)),
  audio: lazyRenderer(() => import("./components/audio/Audio.tsx").then((m) => m.Audio)),
  video: lazyRenderer(() => import("./components/video/Video.tsx").then((m) => m.Video)),
  file: lazyRenderer(() => import("./components/file/FileList.tsx").then((m) => m.FileList)),
  gallery: lazyRenderer(() => import("./components/gallery/Gallery.tsx").then((m) => m.Gallery)),
};
