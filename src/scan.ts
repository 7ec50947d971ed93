// A project tree -> the directories that hold `//trace:` directives.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { mayHaveDirectives } from "./directives.ts";
import { isPackageMember } from "./packages.ts";
import { recordScanWarnings, UNREAD_KINDS, unreadDirectiveAt, unreadDirectiveMessage } from "./sfc/unread.ts";

const SKIP = new Set(["node_modules", "dist", "out", "build", "coverage"]);

interface Seen {
  mtimeMs: number;
  size: number;
  /** May hold directives the plugin reads. */
  has: boolean;
  /** The warning for a directive it would not read (a `.astro` file, outside a component's scripts). */
  unread: string | null;
}

// What each file holds, by path; re-read only when size or mtime change.
const seen = new Map<string, Seen>();

async function look(root: string, path: string, member: boolean): Promise<Seen> {
  const st = await stat(path);
  const cached = seen.get(path);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
  const code = await readFile(path, "utf8");
  const has = member && mayHaveDirectives(code);
  const at = has || !member ? unreadDirectiveAt(path, code, member) : -1;
  const file = relative(root, path).split(sep).join("/");
  const entry = { mtimeMs: st.mtimeMs, size: st.size, has, unread: at >= 0 ? unreadDirectiveMessage(file, code, at) : null };
  seen.set(path, entry);
  return entry;
}

/**
 * Directories below `root` with at least one module that has a directive, sorted.
 * Asynchronous, so that a bundler's own work goes on while it reads. It also
 * notes directives it finds where the plugin does not read them (src/sfc/unread.ts).
 */
export async function findPackageDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const unread: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith(".") && !SKIP.has(e.name));
    const files = entries.filter((e) => e.isFile() && (isPackageMember(e.name) || UNREAD_KINDS.test(e.name)));
    const [has] = await Promise.all([
      Promise.all(
        files.map(async (e) => {
          const s = await look(root, join(dir, e.name), isPackageMember(e.name)).catch(() => null);
          if (s?.unread) unread.push(s.unread);
          return s?.has ?? false;
        }),
      ).then((r) => r.includes(true)),
      Promise.all(subdirs.map((e) => walk(join(dir, e.name)))),
    ]);
    if (has) found.push(dir);
  };
  await walk(root);
  recordScanWarnings(root, unread.sort());
  return found.sort();
}
