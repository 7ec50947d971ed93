import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, expect, it } from "vitest";
import tracing from "../../../dist/src/esbuild.js";
import { goScenarios } from "./go-example.ts";
import { scenarios } from "./scenarios.ts";

const dir = mkdtempSync(join(tmpdir(), "tracetest-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("passes the example scenarios under node --test", async () => {
  const out = join(dir, "example.node.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./example.node.ts", import.meta.url))],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    sourcemap: "inline",
    logLevel: "silent",
    // package ids (tests/tracetest/greeter) are relative to the repository, as under Vitest
    plugins: [tracing({ root: fileURLToPath(new URL("../../..", import.meta.url)), dts: false })],
  });
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    // the default reporter differs between Node versions; tap prints stable totals
    execFile(process.execPath, ["--test", "--test-reporter=tap", out], { timeout: 60_000 }, (err, stdout) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
  expect(stdout).toContain(`# pass ${scenarios.length + goScenarios.length}`);
  expect(stdout).toContain("# fail 0");
  expect(code).toBe(0);
});
