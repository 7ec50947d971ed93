// The plugin's work, independent of any bundler: resolve `trace:` ids, load
// virtual modules, transform modules. Hooks in index.ts only call into this.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSync } from "oxc-parser";
import { langOf } from "./directives.ts";
import { generateDts, writeIfChanged, type DtsPackage } from "./dts.ts";
import { createLineMap, PositionedError } from "./errors.ts";
import { isExcluded, resolveOptions, type Options, type ResolvedOptions } from "./options.ts";
import { createPackageStore, isPackageMember, type PackageModel, type PackageStore } from "./packages.ts";
import { isWellFormedSpec, prefixOf, resolveSpec, type BundlerResolve } from "./resolve.ts";
import { findPackageDirs } from "./scan.ts";
import { rewriteModule, type TransformResult } from "./transform.ts";
import { generatePackageModule, hashOf, RUNTIME, type ResolvedImport } from "./virtual.ts";

/** Resolved id of a package's virtual module: the prefix, then the absolute directory. */
export const PKG_PREFIX = "\0trace:";
/** Resolved id of a `trace:<spec>` import: prefix, then `<name>:<absolute directory>`. */
export const IMPORT_PREFIX = "\0trace-import:";
/** What webpack-like bundlers see instead of `trace:` (they would take it for a URL scheme). */
export const REQUEST_PREFIX = "\0trace-request:";

const here = dirname(fileURLToPath(import.meta.url));
/** Our own runtime entry, `.js` when running from dist/, `.ts` from source. */
export function runtimeFile(name: string): string {
  const base = join(here, "..", "runtime", name);
  return existsSync(`${base}.js`) ? `${base}.js` : `${base}.ts`;
}
const RUNTIME_ENTRIES: Record<string, string> = {
  [RUNTIME]: "tracing",
  "unplugin-tracing/tracetest": "tracetest",
  "unplugin-tracing/recorder": "recorder",
  "unplugin-tracing/profile": "profile",
};

export const cleanId = (id: string) => id.replace(/[?#].*$/, "");

export interface Loaded {
  code: string;
  watchFiles: string[];
}

export interface Transformed {
  result: TransformResult | null;
  watchFiles: string[];
}

export type Context = ReturnType<typeof createContext>;

export function createContext(rawOptions: Options = {}) {
  const options: ResolvedOptions = resolveOptions(rawOptions);
  let root = options.root ?? process.cwd();
  let store: PackageStore = createPackageStore(root);

  function setRoot(r: string): void {
    if (options.root || r === root) return;
    root = r;
    store = createPackageStore(root);
  }

  /** The resolved imports of a package; errors carry the directive's position. */
  async function resolveImports(pkg: PackageModel, bundler: BundlerResolve | null): Promise<{ imports: ResolvedImport[]; errors: PositionedError[] }> {
    const imports: ResolvedImport[] = [];
    const errors: PositionedError[] = [];
    const seenDirs = new Map<string, string>();
    const seenPrefixes = new Map<string, string>();
    for (const imp of pkg.imports) {
      const at = `${imp.file}:${imp.pos.line}:${imp.pos.column}`;
      const fail = (reason: string) => errors.push(new PositionedError(imp.file, imp.specPos, reason));
      if (!isWellFormedSpec(imp.spec)) {
        fail(`import: malformed spec "${imp.spec}"`);
        continue;
      }
      const dir = await resolveSpec(imp.spec, imp.path, root, bundler);
      if (!dir) {
        fail(`import "${imp.spec}": no package found (tried relative, under the root, and the bundler's resolver)`);
        continue;
      }
      const other = store.get(dir);
      if (other.events.length === 0) {
        fail(`import "${imp.spec}": package ${other.id} does not export anything trace-related`);
        continue;
      }
      if (seenDirs.has(dir)) {
        fail(`import "${imp.spec}": package ${other.id} imported twice (first at ${seenDirs.get(dir)})`);
        continue;
      }
      const prefix = imp.name ?? prefixOf(imp.spec);
      if (seenPrefixes.has(prefix)) {
        fail(`import "${imp.spec}": prefix ${prefix} already used (at ${seenPrefixes.get(prefix)}); name one: //trace:import other "${imp.spec}"`);
        continue;
      }
      seenDirs.set(dir, at);
      seenPrefixes.set(prefix, at);
      imports.push({ prefix, virtualId: PKG_PREFIX + dir, events: other.events.map((e) => ({ name: e.name, hash: hashOf(e.name, e.params) })) });
    }
    return { imports, errors };
  }

  /** resolveId: `trace:` specs, our virtual ids, and the runtime entries. */
  async function resolveId(source: string, importer: string | undefined, bundler: BundlerResolve | null): Promise<string | null> {
    if (source.startsWith(PKG_PREFIX) || source.startsWith(IMPORT_PREFIX)) return source;
    const entry = RUNTIME_ENTRIES[source];
    if (entry) return runtimeFile(entry);
    const spec = source.startsWith("trace:") ? source.slice(6) : source.startsWith(REQUEST_PREFIX) ? source.slice(REQUEST_PREFIX.length) : null;
    if (spec === null) return null;
    if (!isWellFormedSpec(spec)) throw new Error(`trace: import "${source}": malformed spec`);
    const from = importer ? cleanId(importer) : join(root, "index.js");
    const dir = await resolveSpec(spec, from, root, bundler);
    if (!dir) throw new Error(`trace: import "${source}": no package found for "${spec}"`);
    return `${IMPORT_PREFIX}${prefixOf(spec)}:${dir}`;
  }

  /** load: a package module or a `trace:` re-export module. Throws PositionedError on bad directives. */
  async function load(id: string, bundler: BundlerResolve | null): Promise<Loaded | null> {
    if (id.startsWith(IMPORT_PREFIX)) {
      const rest = id.slice(IMPORT_PREFIX.length);
      const colon = rest.indexOf(":");
      const prefix = rest.slice(0, colon);
      const dir = rest.slice(colon + 1);
      const pkg = store.get(dir);
      if (pkg.errors.length > 0) throw pkg.errors[0];
      if (pkg.events.length === 0) throw new Error(`trace:${pkg.id}: package ${pkg.id} does not export anything trace-related`);
      const names = pkg.events.map((e) => `${e.name}_Attach as ${prefix}_${e.name}_Attach`);
      return { code: `export { ${names.join(", ")} } from ${JSON.stringify(PKG_PREFIX + dir)};\n`, watchFiles: pkg.files };
    }
    if (!id.startsWith(PKG_PREFIX)) return null;
    const dir = id.slice(PKG_PREFIX.length);
    const pkg = store.get(dir);
    const { imports, errors } = await resolveImports(pkg, bundler);
    const all = [...pkg.errors, ...errors, ...dtsErrorsOf(pkg)];
    if (all.length > 0) throw all[0];
    return { code: generatePackageModule({ id: pkg.id, events: pkg.events, imports }, options.strip), watchFiles: pkg.files };
  }

  /** transform: rewrite a module of a package that declares or imports events. */
  async function transform(code: string, id: string, bundler: BundlerResolve | null): Promise<Transformed> {
    const path = cleanId(id);
    const none: Transformed = { result: null, watchFiles: [] };
    if (id.startsWith("\0") || !isPackageMember(path) || isExcluded(options, path)) return none;
    const dir = dirname(path);
    const pkg = store.get(dir, { path, code });
    const own = store.display(path);
    const ownErrors = pkg.errors.filter((e) => e.file === own);
    if (ownErrors.length > 0) throw ownErrors[0];
    const importsTrace = /["']trace:/.test(code);
    if (pkg.events.length === 0 && pkg.imports.length === 0 && !importsTrace) return none;
    const parsed = parseSync(path, code, { lang: langOf(path), sourceType: "module" });
    if (parsed.errors.length > 0) return none; // the bundler reports syntax errors itself
    if (importsTrace) await checkTraceImports(path, code, parsed.program, bundler);
    if (pkg.events.length === 0 && pkg.imports.length === 0) return none;
    const { imports, errors } = await resolveImports(pkg, bundler);
    const ownImportErrors = errors.filter((e) => e.file === own);
    if (ownImportErrors.length > 0) throw ownImportErrors[0];
    const others = new Set<string>();
    for (const imp of imports) for (const e of imp.events) others.add(`${imp.prefix}_${e.name}_Attach`);
    const result = rewriteModule(code, path, parsed.program, { events: new Set(pkg.events.map((e) => e.name)), others }, PKG_PREFIX + dir, options.strip);
    scheduleDts(bundler);
    return { result, watchFiles: pkg.files.filter((f) => f !== path) };
  }

  /** `import { hello_traceNope_Attach } from "trace:src/hello"` names something the package lacks: say where. */
  async function checkTraceImports(path: string, code: string, program: any, bundler: BundlerResolve | null): Promise<void> {
    const at = createLineMap(code);
    const file = store.display(path);
    for (const st of program.body) {
      if (st.type !== "ImportDeclaration" || !String(st.source.value).startsWith("trace:")) continue;
      const spec = String(st.source.value).slice(6);
      const fail = (node: { start: number }, reason: string) => {
        throw new PositionedError(file, at(node.start), reason);
      };
      if (!isWellFormedSpec(spec)) fail(st.source, `import "trace:${spec}": malformed spec`);
      const dir = await resolveSpec(spec, path, root, bundler);
      if (!dir) fail(st.source, `import "trace:${spec}": no package found`);
      const pkg = store.get(dir!);
      if (pkg.events.length === 0) fail(st.source, `import "trace:${spec}": package ${pkg.id} does not export anything trace-related`);
      const prefix = prefixOf(spec);
      const names = new Set(pkg.events.map((e) => `${prefix}_${e.name}_Attach`));
      for (const s of st.specifiers) {
        if (s.type !== "ImportSpecifier") fail(s, `import "trace:${spec}": only named imports are supported (import { ${[...names][0]} } from ...)`);
        const name = s.imported.name ?? s.imported.value;
        if (!names.has(name)) fail(s, `import "trace:${spec}": package ${pkg.id} has no ${name} (it has ${[...names].join(", ")})`);
      }
    }
  }

  /** The project's packages with their imports, as the declaration file and the CLI see them. */
  async function projectPackages(bundler: BundlerResolve | null): Promise<DtsPackage[]> {
    const out: DtsPackage[] = [];
    for (const dir of findPackageDirs(root)) {
      const pkg = store.get(dir);
      if (pkg.errors.length > 0) continue; // reported when its modules are built
      const { imports } = await resolveImports(pkg, bundler);
      out.push({ pkg, imports: imports.map((i) => ({ prefix: i.prefix, pkg: store.get(i.virtualId.slice(PKG_PREFIX.length)) })) });
    }
    return out;
  }

  /** Writes the declaration file if it changed; returns the errors of types it cannot name. */
  async function writeDts(bundler: BundlerResolve | null): Promise<PositionedError[]> {
    if (options.dts === false) return [];
    const out = resolve(root, options.dts);
    const { text, errors } = generateDts(out, await projectPackages(bundler));
    writeIfChanged(out, text);
    return errors;
  }

  let dtsTimer: ReturnType<typeof setTimeout> | null = null;
  /** While watching, rewrite the declaration file at most every 200 ms. */
  function scheduleDts(bundler: BundlerResolve | null): void {
    if (options.dts === false || dtsTimer) return;
    dtsTimer = setTimeout(() => {
      dtsTimer = null;
      writeDts(bundler).catch(() => {});
    }, 200);
    dtsTimer.unref?.();
  }

  /** Parameter types of a package that the declaration file cannot name. */
  function dtsErrorsOf(pkg: PackageModel): PositionedError[] {
    if (options.dts === false) return [];
    return generateDts(resolve(root, options.dts), [{ pkg, imports: [] }]).errors;
  }

  return {
    options,
    get root() {
      return root;
    },
    get store() {
      return store;
    },
    setRoot,
    resolveId,
    load,
    transform,
    resolveImports,
    projectPackages,
    writeDts,
  };
}
