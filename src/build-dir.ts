// `tstrace build <outDir>`: a library that publishes what plain `tsc` emitted gets the
// same rewrite as a bundled one, in place. tsc drops directive comments (those before
// an interface or a type go with it), so the packages are read from the sources; each
// emitted module is matched to its source through its source map, else by path.
//
// Per package directory of the output it writes `__tracing.js` (the package module a
// bundler would have made virtual) and `__tracing.d.ts`; beside the root, the manifest.
// A second run changes nothing: rewritten modules have no free trace names left.
import remapping from "@jridgewell/remapping";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { createContext } from "./context.ts";
import { parseModule } from "./directives.ts";
import { generateDts, writeIfChanged } from "./dts.ts";
import { PositionedError } from "./errors.ts";
import { PKG_PREFIX } from "./ids.ts";
import { writeManifest } from "./manifest.ts";
import type { PackageModel } from "./packages.ts";
import type { BundlerResolve } from "./resolve.ts";
import { rewriteModule } from "./transform.ts";
import { generatePackageModule, type ResolvedImport } from "./virtual.ts";

/** The package module's file name in each output directory. */
export const PACKAGE_MODULE = "__tracing.js";
const PACKAGE_TYPES = "__tracing.d.ts";
const EMITTED = /\.[cm]?js$/;
const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const MAP_COMMENT = /\n?\/\/# sourceMappingURL=[^\n]*\s*$/;
/** Stands for the package module while rewriting; replaced by a relative path after. */
const PLACEHOLDER = "\0tracing-package-module";

export interface BuildDirOptions {
  root: string;
  /** What tsc emitted into. */
  outDir: string;
  /** The sources' directory (tsc's rootDir): package ids are `<name>/<dir below it>`. */
  srcDir: string;
  /** The library's npm name. */
  name: string;
  resolve: BundlerResolve;
}

export interface BuildDirResult {
  /** Emitted modules rewritten by this run (none on a second run). */
  rewritten: string[];
  /** Files written because their content changed: package modules, their types, the manifest. */
  written: string[];
  errors: PositionedError[];
}

export async function buildDir(o: BuildDirOptions): Promise<BuildDirResult> {
  const outDir = resolve(o.root, o.outDir);
  const srcDir = resolve(o.root, o.srcDir);
  const ctx = createContext({ root: o.root, dts: false, library: { name: o.name, dir: relative(o.root, srcDir) } });
  ctx.setWatching(false);
  const outOf = (dir: string) => join(outDir, relative(srcDir, dir));
  const result: BuildDirResult = { rewritten: [], written: [], errors: [] };

  // Emitted modules by the package directory of their source.
  const bySource = new Map<string, Array<{ file: string; source: string }>>();
  for (const file of walk(outDir)) {
    const source = sourceOf(file, outDir, srcDir);
    if (!source) continue;
    const list = bySource.get(dirname(source)) ?? [];
    list.push({ file, source });
    bySource.set(dirname(source), list);
  }

  const packages: PackageModel[] = [];
  const rewrites: Rewrite[] = [];
  const generated: Array<[string, string]> = [];
  for (const [dir, emitted] of [...bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pkg = ctx.store.get(dir);
    if (pkg.errors.length > 0) {
      result.errors.push(...pkg.errors);
      continue;
    }
    if (pkg.events.length === 0 && pkg.imports.length === 0) continue;
    const { imports, errors } = await ctx.resolveImports(pkg, o.resolve);
    result.errors.push(...errors);
    if (errors.length > 0) continue;
    packages.push(pkg);
    // With no errors, imports[i] is what pkg.imports[i] resolved to.
    const linked = imports.map((imp, i) => linkImport(imp, pkg, i, outOf));
    if (linked.some((l) => l instanceof PositionedError)) {
      result.errors.push(...linked.filter((l): l is PositionedError => l instanceof PositionedError));
      continue;
    }

    const others = new Set<string>();
    for (const imp of imports) for (const e of imp.events) others.add(`${imp.prefix}_${e.name}_Attach`);
    const events = new Set(pkg.events.map((e) => e.name));
    for (const { file } of emitted) {
      const planned = rewriteEmitted(file, outOf(dir), { events, others });
      if (planned instanceof PositionedError) result.errors.push(planned);
      else if (planned) rewrites.push(planned);
    }

    const code = generatePackageModule({ id: pkg.id, events: pkg.events, imports: linked as ResolvedImport[] }, false);
    generated.push([join(outOf(dir), PACKAGE_MODULE), code]);
    const types = packageTypes(pkg, dir, imports);
    result.errors.push(...types.errors);
    generated.push([join(outOf(dir), PACKAGE_TYPES), types.text]);
  }
  // Everything checked first: a failing run leaves dist/ as tsc wrote it.
  if (result.errors.length === 0) {
    for (const r of rewrites) {
      for (const [path, text] of r.files) writeIfChanged(path, text);
      result.rewritten.push(r.module);
    }
    for (const [path, text] of generated) if (writeIfChanged(path, text)) result.written.push(path);
    const manifest = join(o.root, "tracing.json");
    const before = existsSync(manifest) ? readFileSync(manifest, "utf8") : null;
    writeManifest(o.root, o.name, packages, (pkg) => relative(o.root, join(outOf(pkg.dir), PACKAGE_TYPES)).split(sep).join("/"));
    if (readFileSync(manifest, "utf8") !== before) result.written.push(manifest);
  }
  return result;
}

/** Every emitted JavaScript module below `dir`, sorted; not our own package modules. */
function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules") yield* walk(path);
    else if (e.isFile() && EMITTED.test(e.name) && e.name !== PACKAGE_MODULE) yield path;
  }
}

/** The source an emitted module came from: its source map says, else the same path below srcDir. */
function sourceOf(file: string, outDir: string, srcDir: string): string | null {
  const map = readMap(file);
  if (map?.sources?.length === 1) {
    const source = resolve(dirname(file), map.sourceRoot ?? "", map.sources[0]!);
    if (existsSync(source)) return source;
  }
  const stem = join(srcDir, relative(outDir, file)).replace(EMITTED, "");
  for (const ext of SOURCE_EXTENSIONS) if (existsSync(stem + ext)) return stem + ext;
  return null;
}

interface RawMap {
  version: number;
  file?: string;
  sources: string[];
  sourceRoot?: string;
  mappings: string;
  names: string[];
}

function readMap(file: string): RawMap | null {
  try {
    return JSON.parse(readFileSync(`${file}.map`, "utf8")) as RawMap;
  } catch {
    return null;
  }
}

/** What rewriting one emitted module writes: the module, and its map. */
interface Rewrite {
  module: string;
  files: Array<[string, string]>;
}

/**
 * The rewrite of one emitted module, in place; its source map is composed with tsc's
 * so it still points into the .ts source. Undefined when there is nothing to do (a
 * second run), or an error.
 */
function rewriteEmitted(file: string, packageOut: string, names: { events: ReadonlySet<string>; others: ReadonlySet<string> }): Rewrite | PositionedError | undefined {
  const text = readFileSync(file, "utf8");
  const { program, errors, code } = withoutDirectives(file, text.replace(MAP_COMMENT, ""));
  const display = relative(process.cwd(), file).split(sep).join("/");
  if (errors.length > 0) return new PositionedError(display, { line: 1, column: 1 }, `tstrace build: cannot parse ${display}: ${errors[0]!.message}`);
  const esm = (program.body as Array<{ type: string }>).some((s) => /^(Import|Export)/.test(s.type));
  if (!esm && /\bexports\b|\brequire\s*\(/.test(code)) {
    return new PositionedError(display, { line: 1, column: 1 }, `tstrace build: ${display} is CommonJS; have tsc emit ES modules ("module": "NodeNext" with "type": "module" in package.json, or "ESNext")`);
  }
  const mapComment = MAP_COMMENT.exec(text)?.[0] ?? "";
  const out = rewriteModule(code, basename(file), program, names, PLACEHOLDER, false);
  if (!out) {
    // Only directive lines emptied: lines and columns are as tsc left them, and so is its map.
    return code + mapComment === text ? undefined : { module: file, files: [[file, code + mapComment]] };
  }
  let spec = relative(dirname(file), join(packageOut, PACKAGE_MODULE)).split(sep).join("/");
  if (!spec.startsWith(".")) spec = `./${spec}`;
  const rewritten = out.code.replace(JSON.stringify(PLACEHOLDER), JSON.stringify(spec));
  const tscMap = readMap(file);
  if (tscMap || mapComment) {
    const ours = { ...out.map, sources: [basename(file)] };
    const composed = tscMap ? remapping(ours as never, (source) => (source === basename(file) ? (tscMap as never) : null)) : ours;
    return {
      module: file,
      files: [
        [`${file}.map`, JSON.stringify({ ...composed, file: basename(file) })],
        [file, `${rewritten}//# sourceMappingURL=${basename(file)}.map\n`],
      ],
    };
  }
  return { module: file, files: [[file, rewritten]] };
}

/**
 * The emitted text with the directive comments tsc kept emptied (each line stays, so
 * every other line and column keeps its place and tsc's map still fits): a published
 * dist/ holds no directives, or an app's plugin would take it for a source package.
 */
function withoutDirectives(file: string, text: string): { program: any; errors: Array<{ message: string }>; code: string } {
  const parsed = parseModule(file, text);
  let code = text;
  const directives = parsed.comments.filter((c) => c.type === "Line" && c.value.startsWith("trace:") && (c.start === 0 || text[c.start - 1] === "\n"));
  for (const c of directives.reverse()) code = code.slice(0, c.start) + code.slice(c.end);
  const { program, errors } = directives.length === 0 ? parsed : parseModule(file, code);
  return { program, errors, code };
}

/** An imported package's virtual id -> the relative path of its package module in the output. */
function linkImport(imp: ResolvedImport, pkg: PackageModel, index: number, outOf: (dir: string) => string): ResolvedImport | PositionedError {
  if (imp.virtualId.startsWith(PKG_PREFIX)) {
    const target = join(outOf(imp.virtualId.slice(PKG_PREFIX.length)), PACKAGE_MODULE);
    let spec = relative(outOf(pkg.dir), target).split(sep).join("/");
    if (!spec.startsWith(".")) spec = `./${spec}`;
    return { ...imp, virtualId: spec };
  }
  const at = pkg.imports[index]!;
  return new PositionedError(at.file, at.specPos, `tstrace build: //trace:import "${at.spec}" names another library; a tsc-built library can import only its own packages (attach to the other library from the app)`);
}

/**
 * The package module's types, as the declaration file would write them for the
 * package, made exports: types the directives name are qualified relative to the
 * source directory, so `./x.ts` becomes `./x.js` (tsc's `x.d.ts` beside it).
 */
function packageTypes(pkg: PackageModel, dir: string, imports: Awaited<ReturnType<ReturnType<typeof createContext>["resolveImports"]>>["imports"]): { text: string; errors: PositionedError[] } {
  const { text, errors } = generateDts(join(dir, PACKAGE_TYPES), [{ pkg, imports: imports.map((i) => ({ prefix: i.prefix, events: i.found.events })) }]);
  const lines = text
    .split("\n")
    .filter((l) => l.startsWith("declare function "))
    .map((l) => `export ${l.replace(/import\("(\.{1,2}\/[^"]*)\.([cm]?)tsx?"\)/g, 'import("$1.$2js")')}`);
  return { text: [`// Generated by tstrace build from the //trace: directives of ${pkg.id}; do not edit.`, ...lines, ""].join("\n"), errors };
}
