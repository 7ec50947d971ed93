// load: a package's virtual module, a prebuilt library's, or a `trace:` re-export module.
import { fromRootPath, IMPORT_PREFIX, LIB_PREFIX, PKG_PREFIX } from "../ids.ts";
import { readLibraryAt, type ManifestEvent } from "../manifest.ts";
import type { BundlerResolve } from "../resolve.ts";
import { generateLibraryModule, generatePackageModule } from "../virtual.ts";
import type { PackageFinder } from "./find-package.ts";
import type { ContextState } from "./state.ts";

export interface Loaded {
  code: string;
  watchFiles: string[];
}

export function createLoader(state: ContextState, finder: PackageFinder) {
  /** What a package or library virtual id stands for. */
  function targetPackage(target: string): { id: string; events: ManifestEvent[]; entry: string | null; files: string[] } {
    if (target.startsWith(LIB_PREFIX)) {
      const rest = target.slice(LIB_PREFIX.length);
      const colon = rest.indexOf(":");
      const spec = rest.slice(0, colon);
      const libDir = fromRootPath(state.root, rest.slice(colon + 1));
      const lib = readLibraryAt(spec, libDir);
      if (!lib) throw new Error(`trace:${spec}: the tracing manifest of the library in ${libDir} is gone`);
      return { id: lib.id, events: lib.events, entry: lib.entry, files: [lib.manifestPath] };
    }
    const pkg = state.store.get(fromRootPath(state.root, target.slice(PKG_PREFIX.length)));
    if (pkg.errors.length > 0) throw pkg.errors[0];
    return { id: pkg.id, events: pkg.events, entry: null, files: pkg.files };
  }

  /** Throws PositionedError on bad directives. */
  return async function load(id: string, bundler: BundlerResolve | null): Promise<Loaded | null> {
    if (id.startsWith(IMPORT_PREFIX)) {
      const rest = id.slice(IMPORT_PREFIX.length);
      const colon = rest.indexOf(":");
      const prefix = rest.slice(0, colon);
      const target = rest.slice(colon + 1);
      const { id: pkgId, events, files } = targetPackage(target);
      if (events.length === 0) throw new Error(`trace:${pkgId}: package ${pkgId} does not export anything trace-related`);
      const names = events.map((e) => `${e.name}_Attach as ${prefix}_${e.name}_Attach`);
      return { code: `export { ${names.join(", ")} } from ${JSON.stringify(target)};\n`, watchFiles: files };
    }
    if (id.startsWith(LIB_PREFIX)) {
      const { id: pkgId, events, files } = targetPackage(id);
      return { code: generateLibraryModule(pkgId, events, state.options.strip), watchFiles: files };
    }
    if (!id.startsWith(PKG_PREFIX)) return null;
    const dir = fromRootPath(state.root, id.slice(PKG_PREFIX.length));
    const pkg = state.store.get(dir);
    const { imports, errors } = await finder.resolveImports(pkg, bundler);
    const all = [...pkg.errors, ...errors, ...state.files.unnameable(pkg)];
    if (all.length > 0) throw all[0];
    state.loadedMembers.set(dir, new Set(pkg.files));
    return { code: generatePackageModule({ id: pkg.id, events: pkg.events, imports }, state.options.strip), watchFiles: pkg.files };
  };
}
