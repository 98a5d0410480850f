import type { ComponentKind } from "@dais/core";
import { Chatbot } from "./components/Chatbot.tsx";
import { Checkbox } from "./components/Checkbox.tsx";
import { Dropdown } from "./components/Dropdown.tsx";
import { Json } from "./components/Json.tsx";
import { Label } from "./components/Label.tsx";
import { Markdown } from "./components/Markdown.tsx";
import { NumberInput } from "./components/NumberInput.tsx";
import { Slider } from "./components/Slider.tsx";
import { Textbox } from "./components/Textbox.tsx";
import type { Renderer } from "./Renderer.ts";

/**
 * One renderer per component kind; a kind added to core without a renderer here fails to
 * compile. `state` never reaches the page, so it renders nothing.
 */
export const renderers: Record<ComponentKind, Renderer> = {
  textbox: Textbox as Renderer,
  number: NumberInput as Renderer,
  checkbox: Checkbox as Renderer,
  slider: Slider as Renderer,
  dropdown: Dropdown as Renderer,
  markdown: Markdown as Renderer,
  json: Json as Renderer,
  label: Label as Renderer,
  chatbot: Chatbot as Renderer,
  state: () => null,
};
