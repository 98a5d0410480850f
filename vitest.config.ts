import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // A bound on hangs, not a measure: on a busy 2-core machine a test over real sockets
          // can take several times its idle time. Speed is measured in bench/.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          expect: { poll: { timeout: 15_000 } },
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
          // expect.poll gives up after 1 s by default: a bound that a page on a busy machine can
          // miss while drawing what the test waits for. Passing polls still end at once.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
