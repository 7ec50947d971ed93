// Builds fixture projects in-process with each bundler's own API and runs the
// output in a child Node. One `build` table with the same signature per bundler,
// as unjs/unplugin's test/unit-tests/utils.ts does, so one check serves all six.
//
// The plugin is loaded from dist/ (built once by tests/global-setup.ts), as a
// user's project gets it. Outputs go to `<fixture>/out/<name>/` (gitignored).
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Options } from "../../src/options.ts";

export type Bundler = "vite" | "rollup" | "rolldown" | "esbuild" | "webpack" | "rspack";

export const bundlers: Bundler[] = ["vite", "rollup", "rolldown", "esbuild", "webpack", "rspack"];
/** Bundlers that read TypeScript by themselves (the others get JavaScript fixtures). */
export const tsBundlers: Bundler[] = ["vite", "rolldown", "esbuild"];

export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));
const distDir = fileURLToPath(new URL("../../dist/src/", import.meta.url));

export interface BuildOptions {
  /** Entry modules relative to the fixture; each becomes `<outDir>/<name>.mjs`. */
  entry?: string | string[];
  /** Output directory name under `<fixture>/out/`; defaults to the bundler's name. */
  outDir?: string;
  /** Plugin options; `root` defaults to the fixture and `dts` to false. */
  options?: Options;
  /** webpack and Rspack: keep their default `webpack://` names in source maps instead of absolute paths. */
  defaultModuleFilenames?: boolean;
}

export interface Built {
  /** Absolute path of the first entry's output. */
  file: string;
  /** Output of every entry, by entry name. */
  files: Record<string, string>;
  outDir: string;
}

type PluginFactory = (options?: Options) => any;

async function plugin(bundler: Bundler, options: Options): Promise<any> {
  const mod = (await import(join(distDir, `${bundler}.js`))) as { default: PluginFactory };
  return mod.default(options);
}

interface Job {
  dir: string;
  entries: Record<string, string>;
  outDir: string;
  options: Options;
  defaultModuleFilenames?: boolean | undefined;
}

const builders: Record<Bundler, (job: Job) => Promise<void>> = {
  async vite({ dir, entries, outDir, options }) {
    const { build } = await import("vite");
    // The plugin takes its root from Vite's config (configResolved), as in a user's project.
    const { root: _root, ...rest } = options;
    await build({
      root: dir,
      configFile: false,
      envFile: false,
      logLevel: "silent",
      plugins: [await plugin("vite", rest)],
      build: {
        ssr: true,
        outDir,
        emptyOutDir: true,
        minify: false,
        sourcemap: true,
        rollupOptions: { input: entries, output: { format: "es", entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" } },
      },
    });
  },

  async rollup({ dir, entries, outDir, options }) {
    const { rollup } = await import("rollup");
    // Rollup has no cwd option: entries resolve from process.cwd() unless absolute.
    const input = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(dir, file)]));
    // Rollup ignores `enforce`; the plugin is listed first, as the README says.
    const bundle = await rollup({ input, plugins: [await plugin("rollup", options)], onwarn: () => {} });
    try {
      await bundle.write({ dir: outDir, format: "es", sourcemap: true, entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" });
    } finally {
      await bundle.close();
    }
  },

  async rolldown({ dir, entries, outDir, options }) {
    const { rolldown } = await import("rolldown");
    const bundle = await rolldown({ input: entries, cwd: dir, platform: "node", logLevel: "silent", plugins: [await plugin("rolldown", options)] });
    try {
      await bundle.write({ dir: outDir, format: "es", sourcemap: true, entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" });
    } finally {
      await bundle.close();
    }
  },

  async esbuild({ dir, entries, outDir, options }) {
    const esbuild = await import("esbuild");
    await esbuild.build({
      absWorkingDir: dir,
      entryPoints: entries,
      bundle: true,
      // Splitting puts a dynamically imported module in its own chunk, as the others do.
      splitting: true,
      platform: "node",
      format: "esm",
      outdir: outDir,
      outExtension: { ".js": ".mjs" },
      sourcemap: true,
      logLevel: "silent",
      plugins: [await plugin("esbuild", options)],
    });
  },

  webpack: (job) => webpackLike("webpack", job),
  rspack: (job) => webpackLike("rspack", job),
};

/** webpack and Rspack take the same config; ES module output needs the experiments. */
async function webpackLike(bundler: "webpack" | "rspack", { dir, entries, outDir, options, defaultModuleFilenames }: Job): Promise<void> {
  const create: (config: any) => any =
    bundler === "webpack" ? ((await import("webpack")) as any).default : ((await import("@rspack/core")) as any).rspack;
  const config = {
    mode: "development",
    devtool: "source-map",
    target: "node20",
    context: dir,
    entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, `./${file}`])),
    output: {
      path: outDir,
      filename: "[name].mjs",
      chunkFilename: "[name]-[contenthash].mjs",
      module: true,
      chunkFormat: "module",
      chunkLoading: "import",
      library: { type: "module" },
      clean: true,
      // Absolute paths in the source map, so Node's stack traces name the user's file.
      ...(defaultModuleFilenames ? {} : { devtoolModuleFilenameTemplate: "[absolute-resource-path]" }),
    },
    experiments: bundler === "webpack" ? { outputModule: true, topLevelAwait: true } : { outputModule: true },
    infrastructureLogging: { level: "none" },
    stats: "none",
    plugins: [await plugin(bundler, options)],
  };
  const compiler = create(config);
  const stats: any = await new Promise((done, fail) => compiler.run((err: Error | null, s: any) => (err ? fail(err) : done(s))));
  await new Promise<void>((done) => compiler.close(() => done()));
  if (stats.hasErrors()) {
    const errors = stats.toJson({ all: false, errors: true }).errors as Array<{ message: string }>;
    throw new Error(`${bundler} build failed:\n${errors.map((e) => e.message).join("\n")}`);
  }
}

/**
 * Builds `fixtures/<fixture>` with `bundler`. Rejects with the bundler's own error
 * (its message holds what the bundler shows the user) when the build fails.
 */
export async function build(bundler: Bundler, fixture: string, opts: BuildOptions = {}): Promise<Built> {
  const dir = resolve(fixturesDir, fixture);
  const list = opts.entry === undefined ? ["main.js"] : Array.isArray(opts.entry) ? opts.entry : [opts.entry];
  const entries = Object.fromEntries(list.map((e) => [basename(e, extname(e)), e]));
  const outDir = join(dir, "out", opts.outDir ?? bundler);
  rmSync(outDir, { recursive: true, force: true });
  const options: Options = { root: dir, dts: false, ...opts.options };
  await builders[bundler]({ dir, entries, outDir, options, defaultModuleFilenames: opts.defaultModuleFilenames });
  const files = Object.fromEntries(Object.keys(entries).map((name) => [name, join(outDir, `${name}.mjs`)]));
  return { file: Object.values(files)[0]!, files, outDir };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a built file with `node --enable-source-maps`; `preload` modules are imported first, in the same process. */
export function run(file: string, opts: { preload?: string[] } = {}): Promise<RunResult> {
  const args = ["--enable-source-maps", ...(opts.preload ?? []).flatMap((p) => ["--import", p]), file];
  return new Promise((done) => {
    execFile(process.execPath, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === "number" ? (err as any).code : 1) : 0;
      done({ stdout, stderr, code });
    });
  });
}

/** Runs a built file that prints one JSON document, and returns it; a non-zero exit fails with its stderr. */
export async function runJson<T = any>(file: string, opts: { preload?: string[] } = {}): Promise<T> {
  const r = await run(file, opts);
  if (r.code !== 0) throw new Error(`${file} exited with ${r.code}:\n${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${file} did not print JSON:\n${r.stdout}\n${r.stderr}`);
  }
}

/** Memoises one result per bundler, so the `it`s of a fixture share one build and run. */
export function perBundler<T>(fn: (bundler: Bundler) => Promise<T>): (bundler: Bundler) => Promise<T> {
  const cache = new Map<Bundler, Promise<T>>();
  return (bundler) => {
    let p = cache.get(bundler);
    if (!p) cache.set(bundler, (p = fn(bundler)));
    return p;
  };
}

/** The rejection message of a build that must fail. */
export async function buildError(bundler: Bundler, fixture: string, opts: BuildOptions = {}): Promise<string> {
  try {
    await build(bundler, fixture, opts);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error(`${bundler}: building ${fixture} succeeded, want an error`);
}
