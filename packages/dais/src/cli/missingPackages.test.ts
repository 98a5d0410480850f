import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { importedPackages, installHint, missingPackages } from "./missingPackages.ts";

const outside = mkdtempSync(join(tmpdir(), "dais-missing-"));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe("missingPackages", () => {
  it("reads the packages a module imports: scoped, subpaths and type-only imports; not builtins or relative files", () => {
    const source = `import { parseArgs } from "node:util";
import { type Dtype, dialogpt } from "@dais/models";
import { writeTinyDialogpt } from "@dais/models/fixtures";
import type { Page } from "playwright-core";
import { Interface } from "dais";
import { helper } from "./helper.ts";
import {
  a,
  b,
} from "lodash/fp";
`;
    expect(importedPackages(source)).toEqual(["@dais/models", "playwright-core", "dais", "lodash"]);
  });

  it("names only what cannot be found from the file's folder", () => {
    // In the repository, the model demo finds @dais/models; a file outside it finds nothing.
    const demo = fileURLToPath(new URL("../../../../demos/dialogpt/app.ts", import.meta.url));
    expect(missingPackages(demo)).toEqual([]);
    const app = join(outside, "app.ts");
    writeFileSync(app, `import { dialogpt } from "@dais/models";\nimport { Interface } from "dais";\n`);
    expect(missingPackages(app)).toEqual(["@dais/models", "dais"]);
  });

  it("says exactly what to install", () => {
    expect(installHint("The dialogpt demo", ["@dais/models"])).toBe("The dialogpt demo needs @dais/models, which is not installed. Install it in your project:\n\n  npm install @dais/models\n");
  });
});
