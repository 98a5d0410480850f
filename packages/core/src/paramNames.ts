/**
 * The parameter names of a function, read from its source, so an input can be labelled
 * "message" the way Gradio labels it after the Python parameter. Returns [] for anything it
 * cannot read plainly (destructuring, defaults with calls, native code): labels then fall back
 * to the component's kind.
 */
export function paramNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const arrowOne = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (arrowOne) return [arrowOne[1] as string];
  const list = /^(?:async\s*)?(?:function\s*\*?\s*[\w$]*\s*|[\w$]+\s*)?\(([^()]*)\)/.exec(source);
  if (!list) return [];
  const params = (list[1] as string).split(",").map((p) => p.trim()).filter(Boolean);
  const names: string[] = [];
  for (const p of params) {
    const name = /^(?:\.\.\.)?([A-Za-z_$][\w$]*)\s*(?:=.*)?$/.exec(p);
    if (!name) return names; // stop at the first parameter we cannot read
    names.push(name[1] as string);
  }
  return names;
}
