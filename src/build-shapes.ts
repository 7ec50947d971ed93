// Build settings whose output could not load what the plugin generates fail the
// build with a message that says which setting; the runtime follows the user's
// `external`. Checked where each bundler shows its configuration.
import { relative, resolve, sep } from "node:path";
import { NAME, type PositionedError } from "./errors.ts";
import { isVirtualId, RUNTIME_ENTRY, runtimeEntryFile } from "./ids.ts";

/** What a generated or user module imports of ours: `trace:` specs and our virtual ids. */
const OUR_IMPORT = /^(?:trace:|trace-(?:pkg|import|lib):)/;

/** The parts of esbuild's plugin API used here (esbuild is the user's, not our dependency). */
interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number };
}
interface EsbuildBuild {
  initialOptions: { bundle?: boolean; external?: string[]; packages?: string; metafile?: boolean; absWorkingDir?: string };
  onStart(fn: () => { errors: EsbuildMessage[] } | undefined): void;
  onEnd(fn: (result: { metafile?: { inputs: Record<string, unknown> } }) => { errors: EsbuildMessage[] } | undefined): void;
  onResolve(options: { filter: RegExp }, fn: (args: { path: string }) => { path: string; external?: boolean }): void;
}

export interface EsbuildOrderCheck {
  /** A build starts: forget the modules seen. */
  start(): void;
  /** The first of the bundle's input files with tracing that our transform never saw. */
  unseen(inputs: string[]): PositionedError | null;
}

const NOT_BUNDLED =
  `${NAME}: esbuild runs with bundle: false, so each module is written on its own and the imports of the ` +
  "tracepoint modules this plugin generates (trace-pkg:...) would stay in the output, where nothing can load them. " +
  'Set bundle: true (keep dependencies out of the bundle with external or packages: "external").';

/** esbuild's `external` as it matches a path: exactly, as a package whose subpaths it covers, or with one `*`. */
function esbuildExternal(path: string, options: EsbuildBuild["initialOptions"]): boolean {
  if (options.packages === "external") return true;
  return (options.external ?? []).some((pattern) => {
    const star = pattern.indexOf("*");
    if (star === -1) return path === pattern || path.startsWith(`${pattern}/`);
    return path.length >= pattern.length - 1 && path.startsWith(pattern.slice(0, star)) && path.endsWith(pattern.slice(star + 1));
  });
}

export function esbuildSetup(build: EsbuildBuild, order: EsbuildOrderCheck): void {
  build.onStart(() => {
    order.start();
    return build.initialOptions.bundle === true ? undefined : { errors: [{ text: NOT_BUNDLED }] };
  });
  // Another plugin's onLoad for a file stops ours silently; the metafile lists what was bundled.
  build.initialOptions.metafile = true;
  build.onEnd((result) => {
    const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
    // Keys are paths relative to the working directory; other namespaces carry a `name:` prefix.
    const files = Object.keys(result.metafile?.inputs ?? {}).filter((k) => !/^[\w-]+:/.test(k)).map((k) => resolve(cwd, k));
    const err = order.unseen(files);
    if (!err) return undefined;
    return { errors: [{ text: err.message, location: { file: err.file, line: err.pos.line, column: err.pos.column - 1 } }] };
  });
  // Answered here, not in resolveId: esbuild would put that answer in a namespace of
  // its own, where relative imports between runtime files make second copies. A
  // runtime marked external stays an import, so a library can make it a peer dependency.
  build.onResolve({ filter: RUNTIME_ENTRY }, (args) =>
    esbuildExternal(args.path, build.initialOptions) ? { path: args.path, external: true } : { path: runtimeEntryFile(args.path)! },
  );
}

interface OutputChunk {
  type: string;
  fileName: string;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * Rollup-like bundlers: a chunk that still imports one of our ids had it kept out
 * of the bundle (an `external` option matched it, as `id => !id.startsWith(".")`
 * does); it cannot load at run time.
 */
export function checkOutputImports(
  hook: {
    error(message: string): never;
    getModuleInfo?(id: string): { importers?: readonly string[]; importedIds?: readonly string[] } | null;
    getModuleIds?(): Iterable<string>;
  },
  bundle: Record<string, OutputChunk>,
  root: string,
): void {
  for (const chunk of Object.values(bundle)) {
    if (chunk.type !== "chunk") continue;
    const kept = [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])].find((id) => OUR_IMPORT.test(id));
    if (!kept) continue;
    let importers = hook.getModuleInfo?.(kept)?.importers ?? [];
    // Rolldown lists no importers of an external module: look for them.
    if (importers.length === 0 && hook.getModuleIds) {
      importers = [...hook.getModuleIds()].filter((id) => hook.getModuleInfo?.(id)?.importedIds?.includes(kept));
    }
    importers = importers.map((f) => (isVirtualId(f) ? f : relative(root, f).split(sep).join("/")));
    const by = importers.length > 0 ? ` (imported by ${importers.join(", ")})` : "";
    hook.error(
      `${NAME}: the output ${chunk.fileName} imports "${kept}"${by}, which this plugin provides, but an external option kept it out ` +
        "of the bundle, so the output cannot load. Let ids that start with trace:, trace-pkg:, trace-import: and trace-lib: be bundled.",
    );
  }
}

/** The parts of webpack's and Rspack's compiler used here. */
interface WebpackCompiler {
  webpack: { WebpackError: new (message: string) => Error };
  hooks: {
    compilation: {
      tap(name: string, fn: (compilation: { errors: Error[]; hooks: { finishModules: { tap(name: string, fn: (modules: Iterable<any>) => void): void } } }) => void): void;
    };
  };
}

/** webpack and Rspack: an `externals` entry that matched one of our ids leaves an import nothing can load. */
export function checkWebpackExternals(compiler: WebpackCompiler): void {
  compiler.hooks.compilation.tap(NAME, (compilation) => {
    compilation.hooks.finishModules.tap(NAME, (modules) => {
      for (const m of modules) {
        const request = m?.constructor?.name === "ExternalModule" ? m.userRequest : undefined;
        if (typeof request !== "string" || !OUR_IMPORT.test(request)) continue;
        compilation.errors.push(
          new compiler.webpack.WebpackError(
            `${NAME}: "${request}", which this plugin provides, was made external by an externals entry, so the output cannot load. ` +
              "Let requests that start with trace:, trace-pkg:, trace-import: and trace-lib: be bundled.",
          ),
        );
        return;
      }
    });
  });
}
