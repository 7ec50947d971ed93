// Options of the plugin and their defaults, declared once.

export interface Options {
  /**
   * Directory that package ids are relative to (`src/hello`).
   * @default Vite's `root`, else `process.cwd()`
   */
  root?: string | undefined;
  /**
   * Remove trace calls and tracepoints from the output entirely.
   * @default false
   */
  strip?: boolean | undefined;
  /**
   * Modules matching any of these are left alone (ids are absolute paths).
   * @default [/[\\/]node_modules[\\/]/]
   */
  exclude?: Array<string | RegExp> | undefined;
  /**
   * Where to write the declaration file, relative to the root; `false` writes none.
   * @default "tracing-env.d.ts"
   */
  dts?: string | false | undefined;
  /**
   * Build a library for npm: package ids become `<name>/<dir below dir>` (the
   * package in `dir` itself is `<name>`), and a manifest `tracing.json` is written
   * to the root so apps can attach with `trace:<name>` although `dist/` holds no
   * directives. Ship `tracing.json` in the package's `files`.
   * @default undefined (an app)
   */
  library?: { name: string; dir?: string | undefined } | undefined;
  /**
   * In the Vite dev server, inject the live-probing client and serve the UI at `/__tracing/`.
   * @default true
   */
  live?: boolean | undefined;
}

export interface ResolvedOptions {
  root: string | undefined;
  strip: boolean;
  exclude: Array<string | RegExp>;
  dts: string | false;
  live: boolean;
  library: { name: string; dir: string } | undefined;
}

export const DEFAULTS = {
  strip: false,
  exclude: [/[\\/]node_modules[\\/]/] as Array<string | RegExp>,
  dts: "tracing-env.d.ts" as string | false,
  live: true,
} as const;

/** A new object with defaults filled in; never writes into the caller's. */
export function resolveOptions(options: Options = {}): ResolvedOptions {
  return {
    root: options.root,
    strip: options.strip ?? DEFAULTS.strip,
    exclude: options.exclude ? [...options.exclude] : [...DEFAULTS.exclude],
    dts: options.dts ?? DEFAULTS.dts,
    live: options.live ?? DEFAULTS.live,
    library: options.library ? { name: options.library.name, dir: options.library.dir ?? "src" } : undefined,
  };
}

export function isExcluded(options: ResolvedOptions, path: string): boolean {
  return options.exclude.some((p) => (typeof p === "string" ? path.includes(p) : p.test(path)));
}
