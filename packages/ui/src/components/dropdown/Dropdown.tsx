import type { Choice } from "@dais/core";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

const pair = (c: Choice): readonly [string, string] => (typeof c === "string" ? [c, c] : c);

export function Dropdown({ config, value, interactive, domId }: RendererProps<"dropdown">) {
  const p = config.props;
  const choices = p.choices.map(pair);
  if (p.allowCustomValue && !p.multiselect) {
    // Free text with suggestions: a plain select could not take a value outside the list.
    return (
      <Field label={p.label ?? "Dropdown"} domId={domId} info={p.info}>
        <input id={domId} class="input" list={`${domId}-list`} readOnly={!interactive} value={String(value.value ?? "")} onInput={(e) => (value.value = e.currentTarget.value)} />
        <datalist id={`${domId}-list`}>
          {choices.map(([l, v]) => (
            <option value={v}>{l}</option>
          ))}
        </datalist>
      </Field>
    );
  }
  const selected = new Set(([] as unknown[]).concat(value.value ?? []));
  return (
    <Field label={p.label ?? "Dropdown"} domId={domId} info={p.info}>
      <select
        id={domId}
        class="input"
        disabled={!interactive}
        multiple={p.multiselect === true}
        onChange={(e) => {
          const options = [...e.currentTarget.selectedOptions].map((o) => o.value);
          value.value = p.multiselect ? options : (options[0] ?? null);
        }}
      >
        {p.multiselect ? null : (
          <option value="" disabled selected={value.value === null}>
            Choose…
          </option>
        )}
        {choices.map(([l, v]) => (
          <option value={v} selected={selected.has(v)}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
}
