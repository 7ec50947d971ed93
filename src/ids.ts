// Our virtual module ids and where our runtime files are: shared by the hooks,
// the context and the dev server.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME } from "./virtual.ts";

/** Resolved id of a package's virtual module: the prefix, then the absolute directory. */
export const PKG_PREFIX = "\0trace:";
/** Resolved id of a `trace:<spec>` import: prefix, then `<name>:<absolute directory>`. */
export const IMPORT_PREFIX = "\0trace-import:";
/**
 * Resolved id of a prebuilt library's package: prefix, then `<package id>:<library dir>`.
 * No virtual id may end like a file (`.json`, `.ts`): bundlers pick a loader by it.
 */
export const LIB_PREFIX = "\0trace-lib:";
/** What webpack-like bundlers see instead of `trace:` (they would take it for a URL scheme). */
export const REQUEST_PREFIX = "\0trace-request:";

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
