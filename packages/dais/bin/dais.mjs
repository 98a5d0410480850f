#!/usr/bin/env node
// The `dais` command. The CLI is TypeScript, run through tsx like the apps it runs.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
