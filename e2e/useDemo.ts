import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser.ts";
import { demoNameOf, type RunningDemo, startDemo } from "./demo.ts";

export interface DemoFixture {
  demo: RunningDemo;
  browser: Browser;
}

/**
 * The fixture of a spec named after a demo: before the spec's tests, the demo (derived from the
 * spec's file name) is started as a user runs it and a Chromium launched; after them both stop.
 * @example const ctx = useDemo(import.meta.url); // in e2e/hello.spec.ts: runs demos/hello
 */
export function useDemo(specUrl: string, options: { args?: string[]; env?: Record<string, string>; cwd?: string; before?: () => void | Promise<void>; /** Another spec of a demo whose name its file cannot have. */ demo?: string } = {}): DemoFixture {
  const fixture = {} as DemoFixture;
  beforeAll(async () => {
    await options.before?.();
    [fixture.demo, fixture.browser] = await Promise.all([startDemo(options.demo ?? demoNameOf(specUrl), options.args, options.env, options.cwd), launchBrowser()]);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.demo?.stop();
  });
  return fixture;
}
