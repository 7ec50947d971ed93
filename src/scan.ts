// A project tree -> the directories that hold `//trace:` directives.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mayHaveDirectives } from "./directives.ts";
import { isPackageMember } from "./packages.ts";

const SKIP = new Set(["node_modules", "dist", "out", "build", "coverage"]);

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
          has = mayHaveDirectives(readFileSync(join(dir, e.name), "utf8"));
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
