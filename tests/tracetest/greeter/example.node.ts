// The example scenarios under node:test. Node 20 cannot run .ts, so
// node-test.test.ts bundles this file with esbuild and our esbuild plugin, and
// runs `node --test` on it.
import { test } from "node:test";
import { goScenarios } from "./go-example.ts";
import { scenarios } from "./scenarios.ts";

for (const s of [...scenarios, ...goScenarios]) test(s.name, s.fn);
