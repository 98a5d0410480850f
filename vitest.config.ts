import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "packages/*/src/**/*.test.tsx"],
          typecheck: { enabled: true, include: ["packages/*/src/**/*.test-d.ts"], tsconfig: "./packages/core/tsconfig.json" },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.spec.ts"],
          // Browsers and demo processes start slowly on a busy machine; nothing here measures time.
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
