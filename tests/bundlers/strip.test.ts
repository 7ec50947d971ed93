// `strip: true` removes trace calls and tracepoints. Fixture: tests/fixtures/strip.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => {
  const built = await build(bundler, "strip", { options: { strip: true } });
  const code = readdirSync(built.outDir)
    .filter((f) => f.endsWith(".mjs"))
    .map((f) => readFileSync(join(built.outDir, f), "utf8"))
    .join("\n");
  return { out: await runJson(built.file), code };
});

describe("strip: no tracepoints, no argument evaluated, no trace call in the output", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { out, code } = await output(bundler);
    expect(out).toEqual({ result: "hello a", evaluated: 0, seen: [], next: null, tracepoints: [] });
    expect(code).not.toMatch(/__tp_/);
    expect(code).not.toMatch(/argumentNotEvaluated\(\)/);
    // No tracepoint class is defined (the runtime itself may still be there: webpack
    // and Rspack in development mode do not tree-shake the unused parts of it).
    expect(code).not.toMatch(/class traceHello\b/);
  });
});
