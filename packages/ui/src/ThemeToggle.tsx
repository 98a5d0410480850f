import { dark, toggleTheme } from "./applyTheme.ts";

export function ThemeToggle() {
  const label = dark.value ? "Switch to light theme" : "Switch to dark theme";
  return (
    <button type="button" class="icon theme-toggle" aria-label={label} title={label} onClick={toggleTheme}>
      {dark.value ? "☀" : "☾"}
    </button>
  );
}
