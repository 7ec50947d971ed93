// A TypeScript or comment-stripping plugin listed before ours (Rollup and esbuild
// ignore `enforce: "pre"`) fails the build at the module's first directive and says
// to list tracing() first, instead of building and then throwing
// `traceHello is not defined` (issue 10, item 5). Fixture: tests/fixtures/plugin-order.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir, runJson } from "../helpers/build.ts";

const dir = join(fixturesDir, "plugin-order");
const dist = new URL("../../dist/src/", import.meta.url);
const tracing = async (bundler: string) => ((await import(new URL(`${bundler}.js`, dist).href)) as { default: (o: object) => any }).default({ root: dir, dts: false });
const outDir = (name: string) => {
  const out = join(dir, "out", name);
  rmSync(out, { recursive: true, force: true });
  return out;
};

async function rollupBuild(first: "tracing" | "esbuild"): Promise<string> {
  const { rollup } = await import("rollup");
  const { default: esbuild } = await import("rollup-plugin-esbuild");
  const ts = esbuild({ target: "es2022" });
  const plugins = first === "tracing" ? [await tracing("rollup"), ts] : [ts, await tracing("rollup")];
  const bundle = await rollup({ input: join(dir, "main.ts"), plugins, onwarn: () => {} });
  const out = outDir(`rollup-${first}`);
  try {
    await bundle.write({ dir: out, format: "es", entryFileNames: "[name].mjs" });
  } finally {
    await bundle.close();
  }
  return join(out, "main.mjs");
}

/** What an esbuild TypeScript plugin does: load .ts files itself, through esbuild's transform (which drops comments). */
const tsLoader = {
  name: "ts-loader",
  setup(build: any) {
    build.onLoad({ filter: /\.ts$/ }, async (args: { path: string }) => {
      const { readFile } = await import("node:fs/promises");
      const { transform } = await import("esbuild");
      return { contents: (await transform(await readFile(args.path, "utf8"), { loader: "ts" })).code, loader: "js" };
    });
  },
};

async function esbuildBuild(first: "tracing" | "ts-loader"): Promise<string> {
  const esbuild = await import("esbuild");
  const out = outDir(`esbuild-${first}`);
  const plugins = first === "tracing" ? [await tracing("esbuild"), tsLoader] : [tsLoader, await tracing("esbuild")];
  await esbuild.build({ absWorkingDir: dir, entryPoints: ["main.ts"], bundle: true, platform: "node", format: "esm", outdir: out, outExtension: { ".js": ".mjs" }, logLevel: "silent", plugins });
  return join(out, "main.mjs");
}

describe("a plugin listed before ours that transforms the module first", () => {
  it("rollup with rollup-plugin-esbuild first: fails at the lost directive", async () => {
    await expect(rollupBuild("esbuild")).rejects.toThrow(
      'hello/hello.ts:1:1: the text that reaches unplugin-tracing has lost this module\'s //trace: directives: another plugin (TypeScript, Babel, esbuild, a minifier) transformed it first; list tracing() first in plugins (Rollup and esbuild ignore enforce: "pre")',
    );
  });

  it("rollup with tracing() first: builds and runs", async () => {
    expect(await runJson(await rollupBuild("tracing"))).toBe("ok");
  });

  it("esbuild with a TypeScript onLoad plugin first: fails at the module it never saw", async () => {
    const err = await esbuildBuild("ts-loader").then(
      () => null,
      (e: Error) => e.message,
    );
    expect(err).toContain(
      'hello/hello.ts:1:1: this module reached the bundle without passing through unplugin-tracing: another plugin listed before it loaded the file (its onLoad answered first); list tracing() first in plugins',
    );
  });

  it("esbuild with tracing() first: builds and runs", async () => {
    expect(await runJson(await esbuildBuild("tracing"))).toBe("ok");
  });
});
