// JavaScript users write JavaScript: in a .js module an event's parameters may go
// without types; they are `unknown` in tracepoints() and the declaration file.
// Fixture: tests/fixtures/untyped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, bundlers, fixturesDir, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "untyped")).file));

describe("issue 10: untyped parameters in a JavaScript module are unknown", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.seen).toEqual([["JS"], ["JS", 2]]);
    expect(out.params).toEqual({
      traceHello: [{ name: "who", type: "unknown" }],
      traceMixed: [{ name: "who", type: "unknown" }, { name: "n", type: "number", optional: true }],
    });
  });

  it("declaration file", async () => {
    await build("esbuild", "untyped", { outDir: "dts", options: { dts: "out/tracing-env.d.ts" } });
    const dts = readFileSync(join(fixturesDir, "untyped/out/tracing-env.d.ts"), "utf8");
    expect(dts).toContain("declare function traceHello(who: unknown): void | Promise<void>;");
    expect(dts).toContain("declare function traceMixed(who: unknown, n?: number): void | Promise<void>;");
    expect(dts).toContain("probe: (who: unknown, n?: number) => unknown");
  });
});
