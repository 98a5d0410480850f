import { createRequire } from "node:module";
import type { Page } from "playwright-core";

// axe-core's browser build, injected as a script: the page needs nothing of it in production.
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** One rule a page breaks, with the elements that break it (their selectors and what axe says). */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules, best practices included) on what the page shows now
 * and resolves with its serious and critical violations, an empty list when there are none.
 * @example expect(format(await axeScan(page))).toEqual("");
 */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    // The page's own axe, typed here only as far as this call needs.
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: RawViolation[] }> } }).axe;
    interface RawViolation {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[]; failureSummary?: string }[];
    }
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "",
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(" "), summary: n.failureSummary ?? "" })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Violations as readable lines, so a failing test says what to fix where ("" when none). */
export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target}: ${n.summary.replace(/\s+/g, " ")}`).join("\n")}`).join("\n");
}
