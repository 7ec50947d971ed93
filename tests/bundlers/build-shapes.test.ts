// Build settings whose output could not load what the plugin generates fail the
// build and say which setting (issue 10, item 5); the runtime follows esbuild's
// `external`, so a library can make it a peer dependency (item 7).
// Fixture: tests/fixtures/no-leaks. Bundler options differ from the build table's,
// so each bundler's API is called here directly, with the plugin from dist/ first.
import { readFileSync, rmSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir, runJson } from "../helpers/build.ts";

const dir = join(fixturesDir, "no-leaks");
const dist = new URL("../../dist/src/", import.meta.url);
const plugin = async (bundler: string) => ((await import(new URL(`${bundler}.js`, dist).href)) as { default: (o: object) => any }).default({ root: dir, dts: false });
/** A library's usual `external`: every bare import. */
const bare = (id: string) => !id.startsWith(".") && !isAbsolute(id) && !id.startsWith("\0");
const outDir = (name: string) => {
  const out = join(dir, "out", name);
  rmSync(out, { recursive: true, force: true });
  return out;
};

describe("esbuild with bundle: false fails instead of writing imports nothing can load", () => {
  it("esbuild", async () => {
    const esbuild = await import("esbuild");
    const build = esbuild.build({
      absWorkingDir: dir,
      entryPoints: ["main.js", "hello/hello.js"],
      outdir: outDir("esbuild-unbundled"),
      format: "esm",
      logLevel: "silent",
      plugins: [await plugin("esbuild")],
    });
    await expect(build).rejects.toThrow("unplugin-tracing: esbuild runs with bundle: false");
  });
});

describe("an external option that keeps our modules out of the bundle fails the build", () => {
  const message = /the output main\.mjs imports "trace:hello" \(imported by main\.js\), which this plugin provides, but an external option kept it out of the bundle/;

  it("rollup", async () => {
    const { rollup } = await import("rollup");
    const build = async () => {
      const bundle = await rollup({ input: join(dir, "main.js"), external: bare, plugins: [await plugin("rollup")], onwarn: () => {} });
      await bundle.write({ dir: outDir("rollup-external"), format: "es", entryFileNames: "[name].mjs" });
    };
    await expect(build()).rejects.toThrow(message);
  });

  it("rolldown", async () => {
    const { rolldown } = await import("rolldown");
    const build = async () => {
      const bundle = await rolldown({ input: { main: "main.js" }, cwd: dir, platform: "node", logLevel: "silent", external: bare, plugins: [await plugin("rolldown")] });
      await bundle.write({ dir: outDir("rolldown-external"), format: "es", entryFileNames: "[name].mjs" });
    };
    await expect(build()).rejects.toThrow(message);
  });

  it("vite", async () => {
    const { build } = await import("vite");
    const run = async () =>
      build({
        root: dir,
        configFile: false,
        envFile: false,
        logLevel: "silent",
        plugins: [await plugin("vite")],
        build: { ssr: true, outDir: outDir("vite-external"), rollupOptions: { input: { main: "main.js" }, external: bare, output: { entryFileNames: "[name].mjs" } } },
      });
    await expect(run()).rejects.toThrow(message);
  });
});

describe("an externals entry that makes our modules external fails the build", () => {
  it.each(["webpack", "rspack"])("%s", async (bundler) => {
    const create: (config: object) => any = bundler === "webpack" ? ((await import("webpack")) as any).default : ((await import("@rspack/core")) as any).rspack;
    const compiler = create({
      mode: "development",
      devtool: false,
      target: "node20",
      context: dir,
      entry: { main: "./main.js" },
      output: { path: outDir(`${bundler}-external`), filename: "[name].mjs", module: true, chunkFormat: "module", library: { type: "module" } },
      experiments: { outputModule: true },
      externalsType: "module",
      // A library's usual externals: every bare request.
      externals: [({ request }: { request: string }, done: (err?: null, result?: string) => void) => (bare(request) ? done(null, request) : done())],
      infrastructureLogging: { level: "none" },
      stats: "none",
      plugins: [await plugin(bundler)],
    });
    const stats: any = await new Promise((done, fail) => compiler.run((err: Error | null, s: unknown) => (err ? fail(err) : done(s))));
    await new Promise<void>((done) => compiler.close(() => done()));
    const errors = (stats.toJson({ all: false, errors: true }).errors as Array<{ message: string }>).map((e) => e.message);
    expect(errors.join("\n")).toMatch(/unplugin-tracing: "trace(-pkg)?:[a-z]+", which this plugin provides, was made external by an externals entry, so the output cannot load/);
  });
});

describe("the runtime marked external stays an import of unplugin-tracing (a peer dependency)", () => {
  it.each<[string, object]>([
    ['external: ["unplugin-tracing"]', { external: ["unplugin-tracing"] }],
    ['external: ["unplugin-tracing/*"]', { external: ["unplugin-tracing/*"] }],
    ['packages: "external"', { packages: "external" }],
  ])("esbuild, %s", async (_, externals) => {
    const esbuild = await import("esbuild");
    const out = outDir("esbuild-peer");
    await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ["main.js"],
      bundle: true,
      platform: "node",
      format: "esm",
      outdir: out,
      outExtension: { ".js": ".mjs" },
      ...externals,
      logLevel: "silent",
      plugins: [await plugin("esbuild")],
    });
    const code = readFileSync(join(out, "main.mjs"), "utf8");
    expect(code).toMatch(/from "unplugin-tracing\/runtime"/);
    expect(code).not.toContain("class Tracepoint"); // no copy of the runtime
    // Run where `unplugin-tracing` resolves (the repository's own package, by self-reference).
    expect(await runJson(join(out, "main.mjs"))).toMatchObject({ seen: ["a"] });
  });

  it("rollup, external: [/^unplugin-tracing\\//]", async () => {
    const { rollup } = await import("rollup");
    const out = outDir("rollup-peer");
    const bundle = await rollup({ input: join(dir, "main.js"), external: [/^unplugin-tracing\//], plugins: [await plugin("rollup")], onwarn: () => {} });
    await bundle.write({ dir: out, format: "es", entryFileNames: "[name].mjs" });
    const code = readFileSync(join(out, "main.mjs"), "utf8");
    expect(code).toMatch(/from 'unplugin-tracing\/runtime'/);
    expect(await runJson(join(out, "main.mjs"))).toMatchObject({ seen: ["a"] });
  });
});
