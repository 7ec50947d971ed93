// Does any tsconfig of the project see the declaration file? In the `npm create vite`
// templates the root tsconfig.json only has `references`; code is checked through
// tsconfig.app.json (`include: ["src"]`), so a declaration file at the root is seen by
// nobody and `tsc -b` fails with "Cannot find name 'traceX'". Say so once, at startup.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

interface TsConfig {
  files?: unknown;
  include?: unknown;
  extends?: unknown;
  references?: unknown;
}

/**
 * A warning when the root's tsconfig.json and the configs it references all leave
 * `dtsFile` out; null when one includes it, or when we cannot tell (no tsconfig.json,
 * a config we cannot read, an `extends` that may bring its own `include`).
 */
export function dtsReachWarning(root: string, dtsFile: string): string | null {
  const start = join(root, "tsconfig.json");
  if (!existsSync(start)) return null;
  const seen: string[] = [];
  const queue = [start];
  let suggestion: string | null = null;
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (seen.includes(path)) continue;
    seen.push(path);
    const config = readConfig(path);
    if (!config) return null;
    const dir = dirname(path);
    const includes = includesFile(config, dir, dtsFile);
    if (includes !== false) return null;
    if (Array.isArray(config.include) && !suggestion) {
      // The directory the first pattern reaches into: `src` for "src", "src/**/*.ts".
      const base = config.include.map((p) => (typeof p === "string" ? baseDirOf(p) : "")).find((b) => b !== "");
      if (base) suggestion = relative(root, join(dir, base, "tracing-env.d.ts")).split(sep).join("/");
    }
    if (Array.isArray(config.references)) {
      for (const ref of config.references as Array<{ path?: unknown }>) {
        if (typeof ref?.path !== "string") continue;
        const target = resolve(dir, ref.path);
        queue.push(target.endsWith(".json") ? target : join(target, "tsconfig.json"));
      }
    }
  }
  const shown = relative(root, dtsFile).split(sep).join("/");
  const names = seen.map((p) => relative(root, p).split(sep).join("/")).join(", ");
  const fix = suggestion
    ? `write it where your code's tsconfig looks: tracing({ dts: "${suggestion}" }) and \`tstrace gen --out ${suggestion}\``
    : `add it to the "include" of the tsconfig that checks your code`;
  return `the declaration file ${shown} is in no tsconfig's "include" (${names}), so tsc does not see the trace functions; ${fix}`;
}

/** true, false, or null when `extends` may decide. */
function includesFile(config: TsConfig, dir: string, file: string): boolean | null {
  const rel = relative(dir, file).split(sep).join("/");
  if (Array.isArray(config.files) && config.files.some((f) => typeof f === "string" && resolve(dir, f) === file)) return true;
  if (Array.isArray(config.include)) return config.include.some((p) => typeof p === "string" && patternToRegExp(p).test(rel));
  if (config.files !== undefined) return false; // files without include: only those
  return config.extends !== undefined ? null : !rel.startsWith("..");
}

/** The leading segments of a pattern without wildcards, where a file would match it. */
function baseDirOf(pattern: string): string {
  const p = pattern.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/$/, "");
  if (isDirectoryPattern(p)) return p;
  const parts = p.split("/");
  const fixed = parts.slice(0, parts.findIndex((s) => /[*?]/.test(s)));
  // "src/**/*.ts" puts a .d.ts directly in src/; "src/*.tsx" would not take one.
  return fixed.length > 0 && /(^|\/)\*\.ts$|\*\*\/\*(\.ts)?$/.test(p) ? fixed.join("/") : "";
}

const isDirectoryPattern = (p: string) => !/[*?]/.test(p) && !/\.[^/]*$/.test(p.replace(/\/$/, ""));

/** tsconfig include semantics: a last segment with no wildcard and no extension is a directory. */
function patternToRegExp(pattern: string): RegExp {
  let p = pattern.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/$/, "");
  if (isDirectoryPattern(p)) p += "/**/*";
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (p.startsWith("**/", i)) {
      out += "(?:[^/]+/)*";
      i += 2;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** tsconfig files are JSON with comments and trailing commas. */
function readConfig(path: string): TsConfig | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      i = (nl === -1 ? text.length : nl) - 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = (close === -1 ? text.length : close + 2) - 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1")) as TsConfig;
  } catch {
    return null;
  }
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
