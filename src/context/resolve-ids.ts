// resolveId: `trace:` specs, our own virtual ids, and the runtime entries.
import { join } from "node:path";
import { cleanId, IMPORT_PREFIX, isVirtualId, REQUEST_PREFIX, runtimeEntryFile } from "../ids.ts";
import { isWellFormedSpec, prefixOf, type BundlerResolve } from "../resolve.ts";
import type { PackageFinder } from "./find-package.ts";
import type { ContextState } from "./state.ts";

export function createIdResolver(state: Pick<ContextState, "root">, finder: PackageFinder) {
  return async function resolveId(source: string, importer: string | undefined, bundler: BundlerResolve | null): Promise<string | null> {
    if (isVirtualId(source)) return source;
    // webpack-like bundlers see our ids with a NUL before them (see renameSchemeRequests in index.ts).
    if (source.startsWith("\0") && isVirtualId(source.slice(1))) return source.slice(1);
    const entry = runtimeEntryFile(source);
    if (entry) return entry;
    const spec = source.startsWith("trace:") ? source.slice(6) : source.startsWith(REQUEST_PREFIX) ? source.slice(REQUEST_PREFIX.length) : null;
    if (spec === null) return null;
    if (!isWellFormedSpec(spec)) throw new Error(`import ${JSON.stringify(`trace:${spec}`)}: malformed spec`);
    const found = await finder.findPackage(spec, importer ? cleanId(importer) : join(state.root, "index.js"), bundler);
    if (!found) throw new Error(`import "trace:${spec}": no package found`);
    return `${IMPORT_PREFIX}${prefixOf(spec)}:${found.virtualId}`;
  };
}
