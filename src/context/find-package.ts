// Specs -> packages: what a `trace:` import or a `//trace:import` names, and a
// package's imports resolved with positioned errors.
import { dirname } from "node:path";
import { PositionedError } from "../errors.ts";
import { LIB_PREFIX, packageVirtualId, rootPath } from "../ids.ts";
import { findLibraryPackage } from "../manifest.ts";
import type { PackageModel } from "../packages.ts";
import { isWellFormedSpec, prefixOf, resolveSpec, type BundlerResolve } from "../resolve.ts";
import { hashOf, type ResolvedImport } from "../virtual.ts";
import type { ContextState, FoundPackage } from "./state.ts";

export type PackageFinder = ReturnType<typeof createPackageFinder>;

export function createPackageFinder(state: Pick<ContextState, "root" | "store">) {
  /**
   * The package a spec names: a directory with directives (relative, under the
   * root, or through the bundler), else a prebuilt library's package from its
   * manifest. Null when nothing matches.
   */
  async function findPackage(spec: string, importer: string, bundler: BundlerResolve | null): Promise<FoundPackage | null> {
    const dir = await resolveSpec(spec, importer, state.root, bundler);
    const pkg = dir ? state.store.get(dir) : null;
    if (pkg && pkg.events.length > 0) return { virtualId: packageVirtualId(state.root, pkg.dir), id: pkg.id, events: pkg.events, model: pkg };
    const lib = /^[.\/]/.test(spec) ? null : findLibraryPackage(spec, dirname(importer));
    if (lib) return { virtualId: `${LIB_PREFIX}${lib.id}:${rootPath(state.root, lib.libDir)}`, id: lib.id, events: lib.events, model: null };
    return pkg ? { virtualId: packageVirtualId(state.root, pkg.dir), id: pkg.id, events: [], model: pkg } : null;
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
        fail(`import: malformed spec ${JSON.stringify(imp.spec)}`);
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

  return { findPackage, resolveImports };
}
