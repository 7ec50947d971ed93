// Prebuilt libraries: their `dist/` no longer holds the directives, so a library
// built in `library` mode writes a manifest of its events, and an app finds it
// through the library's package.json (`"tracing"` field, else `tracing.json`).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { EventParam } from "./directives.ts";
import type { PackageModel } from "./packages.ts";
import { writeIfChanged } from "./dts.ts";

export const MANIFEST_FILE = "tracing.json";

export interface ManifestEvent {
  name: string;
  params: EventParam[];
}

export interface Manifest {
  version: 1;
  /** The library's npm name. */
  name: string;
  packages: ManifestPackage[];
}

export interface ManifestPackage {
  id: string;
  events: ManifestEvent[];
  /** Declarations of the package's attach functions with their full types (`tstrace build`), relative to the library. */
  types?: string;
}

/** A package of a prebuilt library, as its manifest describes it. */
export interface LibraryPackage {
  id: string;
  /** The library's npm name: importing it loads the library and defines its tracepoints. */
  entry: string;
  /** The installed library's directory (holds its package.json). */
  libDir: string;
  manifestPath: string;
  events: ManifestEvent[];
}

export function writeManifest(root: string, name: string, packages: readonly PackageModel[], typesOf: (pkg: PackageModel) => string | undefined = () => undefined): void {
  const manifest: Manifest = {
    version: 1,
    name,
    packages: packages
      .filter((p) => p.events.length > 0)
      .map((p) => {
        const types = typesOf(p);
        return { id: p.id, events: p.events.map((e) => ({ name: e.name, params: e.params })), ...(types ? { types } : {}) };
      })
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
  writeIfChanged(join(root, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `some-lib/net` -> `some-lib`; `@acme/net/x` -> `@acme/net`. */
function npmNameOf(spec: string): string | null {
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  return /^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(name) ? name : null;
}

/**
 * Finds the library package a spec names (`some-lib`, `some-lib/net`) from the
 * node_modules folders above `fromDir`. Returns null when no installed library
 * with a manifest has that name; throws when the library exists but the manifest
 * lacks the package (the message lists what it has).
 */
export function findLibraryPackage(spec: string, fromDir: string): LibraryPackage | null {
  const name = npmNameOf(spec);
  if (!name) return null;
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const libDir = join(dir, "node_modules", name);
    if (existsSync(join(libDir, "package.json"))) return readLibraryAt(spec, libDir);
    if (dirname(dir) === dir) return null;
  }
}

/** Every trace package of the libraries the root's package.json depends on. */
export function installedLibraries(root: string): ManifestPackage[] {
  let deps: string[];
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    deps = [...new Set([pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].flatMap((d) => Object.keys(d ?? {})))];
  } catch {
    return [];
  }
  const out: ManifestPackage[] = [];
  for (const name of deps.sort()) {
    const found = readManifestOf(name, root);
    if (!found) continue;
    // `types` becomes absolute: the declaration file names it relative to itself.
    for (const p of found.manifest.packages) out.push(typeof p.types === "string" ? { ...p, types: resolve(found.libDir, p.types) } : { id: p.id, events: p.events });
  }
  return out;
}

function readManifestOf(name: string, fromDir: string): { manifest: Manifest; libDir: string } | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const pkgJson = join(dir, "node_modules", name, "package.json");
    if (existsSync(pkgJson)) {
      try {
        const field = (JSON.parse(readFileSync(pkgJson, "utf8")) as { tracing?: unknown }).tracing;
        const path = resolve(dirname(pkgJson), typeof field === "string" ? field : MANIFEST_FILE);
        return existsSync(path) ? { manifest: JSON.parse(readFileSync(path, "utf8")) as Manifest, libDir: dirname(pkgJson) } : null;
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/** The package `spec` of the library installed in `libDir`. */
export function readLibraryAt(spec: string, libDir: string): LibraryPackage | null {
  const pkgJson = join(libDir, "package.json");
  const name = npmNameOf(spec) ?? spec;
  let manifestPath: string;
  let manifest: Manifest;
  try {
    const field = (JSON.parse(readFileSync(pkgJson, "utf8")) as { tracing?: unknown }).tracing;
    manifestPath = resolve(dirname(pkgJson), typeof field === "string" ? field : MANIFEST_FILE);
    if (!existsSync(manifestPath)) return null;
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  } catch (err) {
    throw new Error(`trace import "${spec}": cannot read the tracing manifest of ${name}: ${(err as Error).message}`);
  }
  const pkg = manifest.packages?.find((p) => p.id === spec);
  if (!pkg) {
    const ids = (manifest.packages ?? []).map((p) => p.id).join(", ") || "none";
    throw new Error(`trace import "${spec}": library ${name} has no trace package ${spec} (its manifest lists: ${ids})`);
  }
  return { id: pkg.id, entry: name, libDir, manifestPath, events: pkg.events };
}
