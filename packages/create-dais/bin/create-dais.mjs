#!/usr/bin/env node
// In this repository: `create-dais` from its TypeScript sources, through tsx. The tarball's bin
// is the built dist/main.js (publishConfig).
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
