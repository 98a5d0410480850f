// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/.fixtures/**", "bench/results/**", "docs/api/**", "packages/dais/demos/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": ["error", { selector: "CallExpression[callee.property.name=/^(only|skip|todo)$/][callee.object.name=/^(it|test|describe)$/]", message: "No skipped or focused tests." }],
    },
  },
  {
    // core is plain data and pure functions, shared by server and UI: no Node, no DOM, no I/O.
    files: ["packages/core/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "fs", "http", "https", "net", "path", "os", "ws", "express", "preact", "preact/*", "@preact/*", "@dais/server", "@dais/ui"], message: "core imports nothing from Node, the DOM or the other packages." }] }],
      "no-restricted-globals": ["error", "window", "document", "process", "Buffer", "require", "navigator", "localStorage", "sessionStorage", "fetch", "console"],
    },
  },
  {
    // server and ui never import each other: the server serves the UI's built files, nothing more.
    files: ["packages/server/src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@dais/ui", "@dais/ui/*"], message: "server does not depend on ui." }] }] },
  },
  {
    files: ["packages/ui/src/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@dais/server", "node:*"], message: "ui does not depend on server or Node." }] }] },
  },
);
