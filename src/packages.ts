// A directory -> its package: the events and imports declared by the modules
// directly inside it. Files are re-read only when their size or mtime changes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { scanDirectives, type Directives, type EventDirective, type ImportDirective } from "./directives.ts";
import { PositionedError } from "./errors.ts";

export interface PackageModel {
  /** Absolute directory. */
  dir: string;
  /** Trace import path: the directory relative to the root, or npm name + subpath under node_modules. */
  id: string;
  /** Absolute paths of the member modules, sorted. */
  files: string[];
  /** Events sorted by name, each declared once. */
  events: EventDirective[];
  imports: ImportDirective[];
  errors: PositionedError[];
}

// Components count by their script blocks (src/sfc/).
const SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/** Is this file a member of a package (a source module, not a declaration file)? */
export function isPackageMember(path: string): boolean {
  return SOURCE.test(path) && !DECLARATION.test(path);
}

interface FileEntry {
  mtimeMs: number;
  size: number;
  code: string;
  directives: Directives;
}

export type PackageStore = ReturnType<typeof createPackageStore>;

/** The text of the module being transformed, and its directives if the caller has parsed it already. */
export interface Override {
  path: string;
  code: string;
  directives?: () => Directives;
}

export function createPackageStore(root: string, idOf: (dir: string) => string = (dir) => packageId(root, dir)) {
  const files = new Map<string, FileEntry>();
  const ids = new Map<string, string>();
  // In a build that does not watch, files do not change under it: a package is read once.
  let frozen = false;
  const models = new Map<string, PackageModel>();

  const display = (path: string) => relative(root, path).split(sep).join("/") || ".";

  function readFile(path: string, override?: Override): Directives {
    const cached = files.get(path);
    if (override !== undefined) {
      if (cached?.code === override.code) return cached.directives;
      const directives = override.directives?.() ?? scanDirectives(path, display(path), override.code);
      files.set(path, { mtimeMs: -1, size: -1, code: override.code, directives });
      return directives;
    }
    const st = statSync(path);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.directives;
    const code = readFileSync(path, "utf8");
    if (cached?.code === code) {
      cached.mtimeMs = st.mtimeMs;
      cached.size = st.size;
      return cached.directives;
    }
    const directives = scanDirectives(path, display(path), code);
    files.set(path, { mtimeMs: st.mtimeMs, size: st.size, code, directives });
    return directives;
  }

  /** The package of `dir`; `override` gives the current text of one member (the module being transformed). */
  function get(dir: string, override?: Override): PackageModel {
    const known = frozen ? models.get(dir) : undefined;
    if (known && (!override || files.get(override.path)?.code === override.code)) return known;
    let names: string[];
    try {
      names = readdirSync(dir).filter(isPackageMember).sort();
    } catch {
      names = [];
    }
    let id = ids.get(dir);
    if (id === undefined) ids.set(dir, (id = idOf(dir)));
    const model: PackageModel = { dir, id, files: [], events: [], imports: [], errors: [] };
    const seen = new Map<string, EventDirective>();
    for (const name of names) {
      const path = join(dir, name);
      let d: Directives;
      try {
        d = readFile(path, override?.path === path ? override : undefined);
      } catch {
        continue; // vanished or unreadable between readdir and read
      }
      model.files.push(path);
      model.errors.push(...d.errors);
      model.imports.push(...d.imports);
      for (const ev of d.events) {
        const first = seen.get(ev.name);
        if (first) {
          model.errors.push(
            new PositionedError(ev.file, ev.pos, `event ${ev.name} declared twice in package ${model.id} (first at ${first.file}:${first.pos.line}:${first.pos.column})`),
          );
        } else seen.set(ev.name, ev);
      }
    }
    for (const ev of seen.values()) {
      // traceX_Attach is generated for traceX: an event of that name would be shadowed by it.
      const base = ev.name.endsWith("_Attach") ? seen.get(ev.name.slice(0, -"_Attach".length)) : undefined;
      if (base) {
        model.errors.push(
          new PositionedError(ev.file, ev.pos, `event ${ev.name} collides with the attach function generated for event ${base.name} (declared at ${base.file}:${base.pos.line}:${base.pos.column}); rename it`),
        );
      }
    }
    model.events = [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (frozen) models.set(dir, model);
    return model;
  }

  /** Freeze while a build runs that watches nothing; thaw for watch mode and the dev server. */
  function freeze(on: boolean): void {
    frozen = on;
    models.clear();
  }

  return { get, display, freeze };
}

/** `src/hello` for a directory under the root; `some-lib/dist` for one under node_modules. */
export function packageId(root: string, dir: string): string {
  const parts = dir.split(sep);
  const nm = parts.lastIndexOf("node_modules");
  if (nm !== -1 && nm + 1 < parts.length) {
    const rest = parts.slice(nm + 1);
    return rest.join("/");
  }
  return relative(root, dir).split(sep).join("/") || ".";
}
