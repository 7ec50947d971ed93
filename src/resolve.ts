// `trace:` specs and `//trace:import` -> package directories and prefixes.
import { statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** Asks the bundler to resolve a specifier; returns an absolute file path or null. */
export type BundlerResolve = (spec: string, importer: string) => Promise<string | null>;

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** A spec a `trace:` import or `//trace:import` may hold: a path, no query, no scheme, no control character. */
export function isWellFormedSpec(spec: string): boolean {
  return spec !== "" && !/[\s\p{Cc}?#*"'`\\]/u.test(spec) && !/^[a-z][a-z0-9+.-]*:/i.test(spec) && !spec.endsWith("/.");
}

/**
 * Resolves a spec to a package directory: relative to the importing module
 * (`./x`, `../x`), else a directory under the root (`src/hello`), else through
 * the bundler (aliases, workspace and npm packages): the directory of the file
 * it resolves to.
 */
export async function resolveSpec(spec: string, importer: string, root: string, bundler: BundlerResolve | null): Promise<string | null> {
  if (spec.startsWith("./") || spec.startsWith("../") || spec === "." || spec === "..") {
    const dir = resolve(dirname(importer), spec);
    return isDir(dir) ? dir : null;
  }
  if (isAbsolute(spec)) return isDir(spec) ? spec : null;
  const underRoot = join(root, spec);
  if (isDir(underRoot)) return underRoot;
  if (!bundler) return null;
  const file = await bundler(spec, importer);
  if (!file || !isAbsolute(file)) return null;
  return isDir(file) ? file : dirname(file);
}

/** The prefix for an import without a name: the spec's last segment as an identifier. */
export function prefixOf(spec: string): string {
  const last = spec.split("/").filter((s) => s !== "" && s !== "." && s !== "..").pop() ?? "pkg";
  const id = last.replace(/^@/, "").replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(id) ? `_${id}` : id;
}
