// A project tree -> the directories that hold `//trace:` directives.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { mayHaveDirectives } from "./directives.ts";
import { isPackageMember } from "./packages.ts";

const SKIP = new Set(["node_modules", "dist", "out", "build", "coverage"]);

// Whether a file may hold directives, by path; re-read only when size or mtime change.
const seen = new Map<string, { mtimeMs: number; size: number; has: boolean }>();

function mayHold(path: string): boolean {
  const st = statSync(path);
  const cached = seen.get(path);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.has;
  const has = mayHaveDirectives(readFileSync(path, "utf8"));
  seen.set(path, { mtimeMs: st.mtimeMs, size: st.size, has });
  return has;
}

/** Directories below `root` with at least one module that has a directive, sorted. */
export function findPackageDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    let has = false;
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && !SKIP.has(e.name)) walk(join(dir, e.name));
      } else if (!has && e.isFile() && isPackageMember(e.name)) {
        try {
          has = mayHold(join(dir, e.name));
        } catch {
          // unreadable: not ours to report
        }
      }
    }
    if (has) found.push(dir);
  };
  walk(root);
  return found.sort();
}
