// A project tree -> the directories that hold `//trace:` directives.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { mayHaveDirectives } from "./directives.ts";
import { isPackageMember } from "./packages.ts";

const SKIP = new Set(["node_modules", "dist", "out", "build", "coverage"]);

// Whether a file may hold directives, by path; re-read only when size or mtime change.
const seen = new Map<string, { mtimeMs: number; size: number; has: boolean }>();

async function mayHold(path: string): Promise<boolean> {
  const st = await stat(path);
  const cached = seen.get(path);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.has;
  const has = mayHaveDirectives(await readFile(path, "utf8"));
  seen.set(path, { mtimeMs: st.mtimeMs, size: st.size, has });
  return has;
}

/**
 * Directories below `root` with at least one module that has a directive, sorted.
 * Asynchronous, so that a bundler's own work goes on while it reads.
 */
export async function findPackageDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith(".") && !SKIP.has(e.name));
    const files = entries.filter((e) => e.isFile() && isPackageMember(e.name));
    const [has] = await Promise.all([
      Promise.all(files.map((e) => mayHold(join(dir, e.name)).catch(() => false))).then((r) => r.includes(true)),
      Promise.all(subdirs.map((e) => walk(join(dir, e.name)))),
    ]);
    if (has) found.push(dir);
  };
  await walk(root);
  return found.sort();
}
