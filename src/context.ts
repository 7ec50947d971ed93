// The plugin's work, independent of any bundler: resolve `trace:` ids, load
// virtual modules, transform modules. Hooks in index.ts only call into this.
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseModule, readDirectives, type EventDirective } from "./directives.ts";
import type { DtsPackage } from "./dts.ts";
import { createFileWriter } from "./file-writer.ts";
import { cleanId, IMPORT_PREFIX, LIB_PREFIX, PKG_PREFIX, REQUEST_PREFIX, RUNTIME_DIR, runtimeEntryFile } from "./ids.ts";
import { createLineMap, PositionedError } from "./errors.ts";
import { isExcluded, resolveOptions, type Options, type ResolvedOptions } from "./options.ts";
import { createPackageStore, isPackageMember, packageId, type PackageModel, type PackageStore } from "./packages.ts";
import { isWellFormedSpec, prefixOf, resolveSpec, type BundlerResolve } from "./resolve.ts";
import { findPackageDirs } from "./scan.ts";
import { componentImportAt } from "./sfc/component.ts";
import { rewriteModule, type TransformResult } from "./transform.ts";
import { findLibraryPackage, readLibraryAt, type ManifestEvent } from "./manifest.ts";
import { generateLibraryModule, generatePackageModule, hashOf, type ResolvedImport } from "./virtual.ts";


/** A package found for a spec: a directory of this project, or a prebuilt library's package. */
export interface FoundPackage {
  virtualId: string;
  id: string;
  events: ReadonlyArray<EventDirective | ManifestEvent>;
  model: PackageModel | null;
}

export interface Loaded {
  code: string;
  watchFiles: string[];
}

export interface Transformed {
  result: TransformResult | null;
  watchFiles: string[];
}

export function createContext(rawOptions: Options = {}) {
  const options: ResolvedOptions = resolveOptions(rawOptions);
  let root = options.root ?? process.cwd();
  // A library's ids are `<name>/<dir below library.dir>`, as an app imports them.
  const idOf = (dir: string): string => {
    const lib = options.library;
    const rel = lib ? relative(resolve(root, lib.dir), dir).split(sep).join("/") : "..";
    return lib && !rel.startsWith("..") ? (rel === "" ? lib.name : `${lib.name}/${rel}`) : packageId(root, dir);
  };
  let store: PackageStore = createPackageStore(root, idOf);

  let frozen = false;
  function setRoot(r: string): void {
    if (options.root || r === root) return;
    root = r;
    store = createPackageStore(root, idOf);
    store.freeze(frozen);
  }

  /** A build that watches nothing reads each package once; watch mode and the dev server re-check files. */
  function setWatching(watching: boolean): void {
    frozen = !watching;
    store.freeze(frozen);
  }

  /**
   * The package a spec names: a directory with directives (relative, under the
   * root, or through the bundler), else a prebuilt library's package from its
   * manifest. Null when nothing matches.
   */
  async function findPackage(spec: string, importer: string, bundler: BundlerResolve | null): Promise<FoundPackage | null> {
    const dir = await resolveSpec(spec, importer, root, bundler);
    const pkg = dir ? store.get(dir) : null;
    if (pkg && pkg.events.length > 0) return { virtualId: PKG_PREFIX + pkg.dir, id: pkg.id, events: pkg.events, model: pkg };
    const lib = /^[.\/]/.test(spec) ? null : findLibraryPackage(spec, dirname(importer));
    if (lib) return { virtualId: `${LIB_PREFIX}${lib.id}:${lib.libDir}`, id: lib.id, events: lib.events, model: null };
    return pkg ? { virtualId: PKG_PREFIX + pkg.dir, id: pkg.id, events: [], model: pkg } : null;
  }

  /** The resolved imports of a package; errors carry the directive's position. */
  async function resolveImports(pkg: PackageModel, bundler: BundlerResolve | null): Promise<{ imports: Array<ResolvedImport & { found: FoundPackage }>; errors: PositionedError[] }> {
    const imports: Array<ResolvedImport & { found: FoundPackage }> = [];
    const errors: PositionedError[] = [];
    const seen = new Map<string, string>();
    const seenPrefixes = new Map<string, string>();
    for (const imp of pkg.imports) {
      const at = `${imp.file}:${imp.pos.line}:${imp.pos.column}`;
      const fail = (reason: string) => errors.push(new PositionedError(imp.file, imp.specPos, reason));
      if (!isWellFormedSpec(imp.spec)) {
        fail(`import: malformed spec "${imp.spec}"`);
        continue;
      }
      let found: FoundPackage | null;
      try {
        found = await findPackage(imp.spec, imp.path, bundler);
      } catch (err) {
        fail((err as Error).message);
        continue;
      }
      if (!found) {
        fail(`import "${imp.spec}": no package found (tried relative, under the root, the bundler's resolver and installed libraries)`);
        continue;
      }
      if (found.events.length === 0) {
        fail(`import "${imp.spec}": package ${found.id} does not export anything trace-related`);
        continue;
      }
      if (seen.has(found.virtualId)) {
        fail(`import "${imp.spec}": package ${found.id} imported twice (first at ${seen.get(found.virtualId)})`);
        continue;
      }
      const prefix = imp.name ?? prefixOf(imp.spec);
      if (seenPrefixes.has(prefix)) {
        fail(`import "${imp.spec}": prefix ${prefix} already used (at ${seenPrefixes.get(prefix)}); name one: //trace:import other "${imp.spec}"`);
        continue;
      }
      seen.set(found.virtualId, at);
      seenPrefixes.set(prefix, at);
      imports.push({ prefix, virtualId: found.virtualId, events: found.events.map((e) => ({ name: e.name, hash: hashOf(e.name, e.params) })), found });
    }
    return { imports, errors };
  }

  /** resolveId: `trace:` specs, our virtual ids, and the runtime entries. */
  async function resolveId(source: string, importer: string | undefined, bundler: BundlerResolve | null): Promise<string | null> {
    if (source.startsWith(PKG_PREFIX) || source.startsWith(IMPORT_PREFIX) || source.startsWith(LIB_PREFIX)) return source;
    const entry = runtimeEntryFile(source);
    if (entry) return entry;
    const spec = source.startsWith("trace:") ? source.slice(6) : source.startsWith(REQUEST_PREFIX) ? source.slice(REQUEST_PREFIX.length) : null;
    if (spec === null) return null;
    if (!isWellFormedSpec(spec)) throw new Error(`import "trace:${spec}": malformed spec`);
    const found = await findPackage(spec, importer ? cleanId(importer) : join(root, "index.js"), bundler);
    if (!found) throw new Error(`import "trace:${spec}": no package found`);
    // The target's id without its leading NUL, so the id holds only one.
    return `${IMPORT_PREFIX}${prefixOf(spec)}:${found.virtualId.slice(1)}`;
  }

  /** load: a package module, a library's, or a `trace:` re-export module. Throws PositionedError on bad directives. */
  async function load(id: string, bundler: BundlerResolve | null): Promise<Loaded | null> {
    if (id.startsWith(IMPORT_PREFIX)) {
      const rest = id.slice(IMPORT_PREFIX.length);
      const colon = rest.indexOf(":");
      const prefix = rest.slice(0, colon);
      const target = `\0${rest.slice(colon + 1)}`;
      const { id: pkgId, events, files } = targetPackage(target);
      if (events.length === 0) throw new Error(`trace:${pkgId}: package ${pkgId} does not export anything trace-related`);
      const names = events.map((e) => `${e.name}_Attach as ${prefix}_${e.name}_Attach`);
      return { code: `export { ${names.join(", ")} } from ${JSON.stringify(target)};\n`, watchFiles: files };
    }
    if (id.startsWith(LIB_PREFIX)) {
      const { id: pkgId, events, files } = targetPackage(id);
      return { code: generateLibraryModule(pkgId, events, options.strip), watchFiles: files };
    }
    if (!id.startsWith(PKG_PREFIX)) return null;
    const dir = id.slice(PKG_PREFIX.length);
    const pkg = store.get(dir);
    const { imports, errors } = await resolveImports(pkg, bundler);
    const all = [...pkg.errors, ...errors, ...files.unnameable(pkg)];
    if (all.length > 0) throw all[0];
    loadedMembers.set(dir, new Set(pkg.files));
    return { code: generatePackageModule({ id: pkg.id, events: pkg.events, imports }, options.strip), watchFiles: pkg.files };
  }

  /** What a package or library virtual id stands for. */
  function targetPackage(target: string): { id: string; events: ManifestEvent[]; entry: string | null; files: string[] } {
    if (target.startsWith(LIB_PREFIX)) {
      const rest = target.slice(LIB_PREFIX.length);
      const colon = rest.indexOf(":");
      const spec = rest.slice(0, colon);
      const libDir = rest.slice(colon + 1);
      const lib = readLibraryAt(spec, libDir);
      if (!lib) throw new Error(`trace:${spec}: the tracing manifest of the library in ${libDir} is gone`);
      return { id: lib.id, events: lib.events, entry: lib.entry, files: [lib.manifestPath] };
    }
    const pkg = store.get(target.slice(PKG_PREFIX.length));
    if (pkg.errors.length > 0) throw pkg.errors[0];
    return { id: pkg.id, events: pkg.events, entry: null, files: pkg.files };
  }

  /** Members of each package as its virtual module was last generated. */
  const loadedMembers = new Map<string, Set<string>>();
  let newMember: (dir: string) => void = () => {};

  /** transform: rewrite a module of a package that declares or imports events. */
  async function transform(code: string, id: string, bundler: BundlerResolve | null): Promise<Transformed> {
    const path = cleanId(id);
    const none: Transformed = { result: null, watchFiles: [] };
    // Our own runtime is skipped too, wherever it is installed (a linked checkout, say).
    if (id.startsWith("\0") || !isPackageMember(path) || isExcluded(options, path) || path.startsWith(RUNTIME_DIR + sep)) return none;
    const dir = dirname(path);
    // Parsed at most once: for the module's own directives and for the rewrite.
    let parsed: ReturnType<typeof parseModule> | undefined;
    const parse = () => (parsed ??= parseModule(path, code));
    const pkg = store.get(dir, { path, code, directives: () => readDirectives(path, store.display(path), code, parse().comments) });
    const members = loadedMembers.get(dir);
    if (members && !members.has(path)) {
      members.add(path);
      newMember(dir);
    }
    const own = store.display(path);
    const ownErrors = pkg.errors.filter((e) => e.file === own);
    if (ownErrors.length > 0) throw ownErrors[0];
    const importsTrace = /["']trace:/.test(code);
    if (pkg.events.length === 0 && pkg.imports.length === 0 && !importsTrace) return none;
    const { program, errors: syntaxErrors } = parse();
    if (syntaxErrors.length > 0) return none; // the bundler reports syntax errors itself
    if (importsTrace) await checkTraceImports(path, code, program, bundler);
    if (pkg.events.length === 0 && pkg.imports.length === 0) return none;
    const { imports, errors } = await resolveImports(pkg, bundler);
    const ownImportErrors = errors.filter((e) => e.file === own);
    if (ownImportErrors.length > 0) throw ownImportErrors[0];
    const others = new Set<string>();
    for (const imp of imports) for (const e of imp.events) others.add(`${imp.prefix}_${e.name}_Attach`);
    const result = rewriteModule(code, path, program, { events: new Set(pkg.events.map((e) => e.name)), others }, PKG_PREFIX + dir, options.strip, componentImportAt(path, code));
    files.changed(pkg, bundler);
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
      let pkg: FoundPackage | null = null;
      try {
        pkg = await findPackage(spec, path, bundler);
      } catch (err) {
        fail(st.source, (err as Error).message);
      }
      if (!pkg) return fail(st.source, `import "trace:${spec}": no package found`);
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
    for (const dir of await findPackageDirs(root)) {
      const pkg = store.get(dir);
      if (pkg.errors.length > 0) continue; // reported when its modules are built
      const { imports } = await resolveImports(pkg, bundler);
      out.push({ pkg, imports: imports.map((i) => ({ prefix: i.prefix, events: i.found.events })) });
    }
    return out;
  }

  const files = createFileWriter(options, () => root, projectPackages);

  return {
    options,
    get root() {
      return root;
    },
    get store() {
      return store;
    },
    setRoot,
    setWatching,
    resolveId,
    load,
    transform,
    resolveImports,
    findPackage,
    projectPackages,
    /** Writes the declaration file (and a library's manifest) if changed; returns types it cannot name. */
    writeDts: files.write,
    /** At the end of a build: write now what a pending rewrite would have. */
    flushDts: files.flush,
    /** Called when a module joins a package after its virtual module was loaded. */
    onNewMember(fn: (dir: string) => void) {
      newMember = fn;
    },
  };
}
