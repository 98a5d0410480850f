import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { packageName, scaffold, templates } from "./scaffold.ts";

const work = mkdtempSync(join(tmpdir(), "create-dais-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = fileURLToPath(new URL("../bin/create-dais.mjs", import.meta.url));

describe("scaffold", () => {
  it.each(Object.keys(templates) as (keyof typeof templates)[])("writes a runnable %s project", (template) => {
    const dir = join(work, `My ${template} Demo`);
    expect(scaffold({ dir, template, version: "1.2.3" })).toEqual([".gitignore", "README.md", "app.ts", "package.json", "tsconfig.json"]);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(manifest.name).toBe(`my-${template}-demo`);
    expect(manifest.type).toBe("module");
    expect(manifest.scripts).toMatchObject({ dev: "dais run app.ts --reload", start: "dais run app.ts" });
    expect(manifest.dependencies.dais).toBe("^1.2.3");
    // Only the model template brings in the model runtime (onnxruntime, transformers.js).
    expect("@dais/models" in manifest.dependencies).toBe(template === "model");
    expect(readFileSync(join(dir, "app.ts"), "utf8")).toMatch(/\.launch\(\)/);
    const tsconfig = readFileSync(join(dir, "tsconfig.json"), "utf8");
    expect(tsconfig).toMatch(/"strict": true/);
    expect(tsconfig).toMatch(/"module": "nodenext"/);
  });

  it("refuses a folder that holds files, and a template that does not exist", () => {
    const dir = join(work, "taken");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    expect(() => scaffold({ dir, template: "chatbot", version: "1.0.0" })).toThrow(/already exists and is not empty/);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(() => scaffold({ dir: join(work, "x"), template: "nope" as "chatbot", version: "1.0.0" })).toThrow(/No template "nope". Templates: chatbot, interface, model/);
  });

  it("makes a package name of any folder name", () => {
    expect(packageName("My Demo!")).toBe("my-demo");
    expect(packageName("..")).toBe("dais-app");
  });
});

describe("create-dais", () => {
  it("scaffolds the template asked for and says what to run next", () => {
    const out = execFileSync(process.execPath, [bin, "cli-demo", "--template", "interface"], { cwd: work, encoding: "utf8" });
    expect(out).toContain("cd cli-demo\n  npm install\n  npm run dev");
    expect(readFileSync(join(work, "cli-demo", "app.ts"), "utf8")).toContain("greet");
  });

  it("exits with the list of templates for one it does not know", () => {
    let error: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [bin, "bad", "--template", "vue"], { cwd: work, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      error = e as { status: number; stderr: string };
    }
    expect(error?.status).toBe(1);
    expect(error?.stderr).toMatch(/No template "vue"[\s\S]*model/);
    expect(existsSync(join(work, "bad"))).toBe(false);
  });
});
