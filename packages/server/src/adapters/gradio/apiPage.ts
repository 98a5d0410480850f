import { escapeHtml, plainPageStyle } from "@dais/core";
import type { ApiEndpoint } from "./apiEndpoints.ts";

/**
 * The "Use via API" page (linked from the app's footer, as in Gradio): every endpoint with its
 * parameters and types, and snippets to copy for Dais's typed client, `@gradio/client`, Python's `gradio_client` and
 * curl. Everything that comes from the app or the request is escaped. Each snippet can take the
 * focus, so a keyboard can scroll one that is wider than the page (a long call).
 */
export function apiPage(title: string, endpoints: readonly ApiEndpoint[], url: string): string {
  const sections = endpoints.map((e) => endpointSection(e, url)).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API · ${escapeHtml(title || "Dais app")}</title>
<style>${plainPageStyle}
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;background:var(--bg);color:var(--text)}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;font-family:ui-monospace,monospace}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid var(--border);padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{background:var(--code-bg);padding:.75rem;border-radius:6px;overflow:auto}pre:focus-visible{outline:2px solid var(--text)}code{font-family:ui-monospace,monospace;font-size:13px}
details{margin:.4rem 0}summary{cursor:pointer}
</style></head><body>
<p><a href="./">← Back to the app</a></p>
<h1>Use ${escapeHtml(title || "this app")} via API</h1>
<p>${endpoints.length === 0 ? "This app has no named endpoints." : `${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"}. Any Gradio client works: states are kept per session, so a client's second call sees its first call's history.`}</p>
<pre tabindex="0"><code>npm install @gradio/client        # JavaScript
pip install gradio_client         # Python</code></pre>
${sections}
</body></html>`;
}

function endpointSection(e: ApiEndpoint, url: string): string {
  const jsArgs = e.parameters.map((p) => `${JSON.stringify(p.parameterName)}: ${JSON.stringify(p.example ?? null)}`).join(", ");
  const pyArgs = e.parameters.map((p) => `${p.parameterName}=${python(p.example)}`).join(", ");
  const dais = `import { connect } from "dais/client";

const client = await connect(${JSON.stringify(url)}); // connect<typeof app>(…) types every call
const result = await client.predict(${[JSON.stringify(e.name), ...e.parameters.map((p) => JSON.stringify(p.example ?? null))].join(", ")});
console.log(result);`;
  const js = `import { Client } from "@gradio/client";

const client = await Client.connect(${JSON.stringify(url)});
const result = await client.predict(${JSON.stringify(e.name)}, { ${jsArgs} });
console.log(result.data);`;
  const py = `from gradio_client import Client

client = Client(${JSON.stringify(url)})
result = client.predict(${pyArgs}${pyArgs ? ", " : ""}api_name=${JSON.stringify(e.name)})
print(result)`;
  const curl = `curl -X POST ${url}gradio_api/call${e.name} -H "Content-Type: application/json" -s -d '${JSON.stringify({ data: e.parameters.map((p) => p.example ?? null) }).replaceAll("'", "'\\''")}' \\
  | awk -F'"' '{ print $4 }' \\
  | read EVENT_ID; curl -N ${url}gradio_api/call${e.name}/$EVENT_ID`;
  return `<section>
<h2>${escapeHtml(e.name)}</h2>
${e.description ? `<p>${escapeHtml(e.description)}</p>` : ""}
${table("Parameters", e.parameters)}
${table("Returns", e.returns)}
<details open><summary>TypeScript (dais/client)</summary><pre tabindex="0"><code>${escapeHtml(dais)}</code></pre></details>
<details><summary>JavaScript (@gradio/client)</summary><pre tabindex="0"><code>${escapeHtml(js)}</code></pre></details>
<details><summary>Python (gradio_client)</summary><pre tabindex="0"><code>${escapeHtml(py)}</code></pre></details>
<details><summary>curl</summary><pre tabindex="0"><code>${escapeHtml(curl)}</code></pre></details>
</section>`;
}

function table(caption: string, values: ApiEndpoint["parameters"]): string {
  if (values.length === 0) return `<p><strong>${caption}:</strong> none</p>`;
  const rows = values
    .map((v) => `<tr><td><code>${escapeHtml(v.parameterName)}</code></td><td>${escapeHtml(v.component)}</td><td><code>${escapeHtml(v.pythonType)}</code></td><td>${escapeHtml(v.label)}</td></tr>`)
    .join("");
  return `<table><caption style="text-align:left"><strong>${caption}</strong></caption><tr><th>Name</th><th>Component</th><th>Type</th><th>Label</th></tr>${rows}</table>`;
}

/** A JSON value as a Python literal, for the snippet. */
function python(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (Array.isArray(v)) return `[${v.map(python).join(", ")}]`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${python(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}
