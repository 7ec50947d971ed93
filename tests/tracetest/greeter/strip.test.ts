import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, expect, it } from "vitest";
import tracing from "../../../dist/src/esbuild.js";

const dir = mkdtempSync(join(tmpdir(), "tracetest-strip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("says tracing was removed under strip: true instead of reporting a deadlock (issue 13)", async () => {
  const out = join(dir, "strip.node.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./strip.node.ts", import.meta.url))],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    plugins: [tracing({ root: fileURLToPath(new URL("../../..", import.meta.url)), dts: false, strip: true })],
  });
  const result = JSON.parse(execFileSync(process.execPath, [out], { encoding: "utf8", timeout: 60_000 }).trim());
  expect(result).toEqual({
    message:
      "tracetest: tracing was removed from this build (strip: true): traceHi_Attach attached nothing, so no event can come; build the tests with strip: false\n" +
      "test shutdown: #streams: 0,  #(pending events): 0",
  });
});
