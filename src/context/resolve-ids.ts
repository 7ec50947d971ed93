// resolveId: `trace:` specs, our own virtual ids, and the runtime entries.
import { join } from "node:path";
import { cleanId, IMPORT_PREFIX, LIB_PREFIX, PKG_PREFIX, REQUEST_PREFIX, runtimeEntryFile } from "../ids.ts";
import { isWellFormedSpec, prefixOf, type BundlerResolve } from "../resolve.ts";
import type { PackageFinder } from "./find-package.ts";
import type { ContextState } from "./state.ts";

export function createIdResolver(state: Pick<ContextState, "root">, finder: PackageFinder) {
  return async function resolveId(source: string, importer: string | undefined, bundler: BundlerResolve | null): Promise<string | null> {
    if (source.startsWith(PKG_PREFIX) || source.startsWith(IMPORT_PREFIX) || source.startsWith(LIB_PREFIX)) return source;
    const entry = runtimeEntryFile(source);
    if (entry) return entry;
    const spec = source.startsWith("trace:") ? source.slice(6) : source.startsWith(REQUEST_PREFIX) ? source.slice(REQUEST_PREFIX.length) : null;
    if (spec === null) return null;
    if (!isWellFormedSpec(spec)) throw new Error(`import "trace:${spec}": malformed spec`);
    const found = await finder.findPackage(spec, importer ? cleanId(importer) : join(state.root, "index.js"), bundler);
    if (!found) throw new Error(`import "trace:${spec}": no package found`);
    // The target's id without its leading NUL, so the id holds only one.
    return `${IMPORT_PREFIX}${prefixOf(spec)}:${found.virtualId.slice(1)}`;
  };
}
