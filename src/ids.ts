// Our virtual module ids and where our runtime files are: shared by the hooks,
// the context and the dev server.
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME } from "./virtual.ts";

// Virtual ids are what users see of us in output comments, source maps, stack
// frames and webpack module names, and what a library ships to npm: printable
// (no NUL), relative to the root (no absolute build path) and stable across machines.

/** Resolved id of a package's virtual module: the prefix, then the directory as `rootPath` writes it. */
export const PKG_PREFIX = "trace-pkg:";
/** Resolved id of a `trace:<spec>` import: prefix, then `<name>:<target virtual id>`. */
export const IMPORT_PREFIX = "trace-import:";
/**
 * Resolved id of a prebuilt library's package: prefix, then `<package id>:<library dir>`.
 * No virtual id may end like a file (`.json`, `.ts`): bundlers pick a loader by it.
 */
export const LIB_PREFIX = "trace-lib:";
/** What webpack-like bundlers see instead of `trace:` (they would take it for a URL scheme). */
export const REQUEST_PREFIX = "\0trace-request:";

/** Our virtual module ids. */
export const VIRTUAL_ID = /^trace-(?:pkg|import|lib):/;
/** Is this one of our virtual module ids? */
export const isVirtualId = (id: string): boolean => VIRTUAL_ID.test(id);

/**
 * A directory as a virtual id holds it: relative to the root with `/`, `.` for the
 * root itself, and each leading `..` written `^` (a dev-server URL would lose
 * `trace-pkg:../../x` to dot-segment removal).
 */
export function rootPath(root: string, dir: string): string {
  const parts = relative(root, dir).split(sep).filter((p) => p !== "");
  let up = 0;
  while (parts[up] === "..") parts[up++] = "^";
  return parts.join("/") || ".";
}

/** The directory `rootPath` wrote. */
export function fromRootPath(root: string, path: string): string {
  return resolve(root, path.split("/").map((p) => (p === "^" ? ".." : p)).join(sep));
}

/** The virtual id of the package in `dir`. */
export const packageVirtualId = (root: string, dir: string): string => PKG_PREFIX + rootPath(root, dir);

const here = dirname(fileURLToPath(import.meta.url));
/** Our own runtime entries by specifier, e.g. `unplugin-tracing/runtime`. */
export const RUNTIME_ENTRY = /^unplugin-tracing\/(runtime|tracetest|recorder|profile|diagnostics-channel|otel)$/;
/** Our runtime's directory: its modules are never user code to transform. */
export const RUNTIME_DIR = join(here, "..", "runtime");
/** Our own runtime entry, `.js` when running from dist/, `.ts` from source. */
export function runtimeFile(name: string): string {
  const base = join(RUNTIME_DIR, name);
  return existsSync(`${base}.js`) ? `${base}.js` : `${base}.ts`;
}
/** The file behind one of our runtime specifiers, or null. */
export function runtimeEntryFile(specifier: string): string | null {
  const entry = RUNTIME_ENTRIES[specifier];
  return entry ? runtimeFile(entry) : null;
}
const RUNTIME_ENTRIES: Record<string, string> = {
  [RUNTIME]: "tracing",
  "unplugin-tracing/tracetest": "tracetest",
  "unplugin-tracing/recorder": "recorder",
  "unplugin-tracing/profile": "profile",
  "unplugin-tracing/diagnostics-channel": "bridges/diagnostics-channel",
  "unplugin-tracing/otel": "bridges/otel",
};

/** A module id without its query or hash. */
export const cleanId = (id: string) => id.replace(/[?#].*$/, "");
