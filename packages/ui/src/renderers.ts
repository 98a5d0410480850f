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
};
