/**
 * What can trigger a run. `change` fires when a value changes, by the user or by a run's
 * result; `input` only when the user edits it; `submit` on Enter in a textbox; `select` when the
 * user picks something; `release` when a slider is let go; `load` when the page opens.
 */
export const eventNames = ["click", "submit", "change", "input", "select", "blur", "release", "load"] as const;
export type EventName = (typeof eventNames)[number];

/**
 * How a trigger behaves while its previous run still goes: `once` ignores it (a button),
 * `multiple` runs again, `always_last` runs once more with the latest values when the
 * previous run ends (typing into a box that drives a preview).
 */
export type TriggerMode = "once" | "multiple" | "always_last";
