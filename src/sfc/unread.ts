// Directives the plugin would not read: a `//trace:` line in a file kind it
// does not parse (`.astro`, `.mdx`, `.html`...), or in a component outside its
// script blocks. They are reported as warnings that name the place, never dropped
// in silence: the code that calls the event would fail only at run time.
import { relative, sep } from "node:path";
import { createLineMap } from "../errors.ts";
import { cleanId } from "../ids.ts";
import { isPackageMember } from "../packages.ts";
import { componentScripts, isComponentFile } from "./component.ts";

const DIRECTIVE_LINE = /^\/\/trace:/gm;

/**
 * Kinds the package scan also opens to look for such lines: where component and
 * template code is written. (Markdown is documentation: `.md` is not looked at.)
 */
export const UNREAD_KINDS = /\.(?:astro|mdx|svx|html?|marko|riot|pug|hbs|handlebars|ejs|njk|liquid|twig)$/;

/**
 * The offset of the first `//trace:` line (at column 1) in `code` that the
 * plugin does not read, or -1. `read` says whether the file kind is read as a module.
 */
export function unreadDirectiveAt(path: string, code: string, read: boolean): number {
  DIRECTIVE_LINE.lastIndex = 0;
  if (!isComponentFile(path)) {
    if (read) return -1;
    const m = DIRECTIVE_LINE.exec(code);
    return m ? m.index : -1;
  }
  const { blocks } = componentScripts(path, code);
  for (let m = DIRECTIVE_LINE.exec(code); m; m = DIRECTIVE_LINE.exec(code)) {
    const at = m.index;
    if (!blocks.some((b) => b.start <= at && at < b.end)) return at;
  }
  return -1;
}

/** The warning for a directive the plugin does not read, at `file:line:column`. */
export function unreadDirectiveMessage(file: string, code: string, at: number): string {
  const { line, column } = createLineMap(code)(at);
  const where = isComponentFile(file)
    ? "it is outside the component's <script> blocks (or in a block whose lang is not TypeScript or JavaScript)"
    : "the plugin does not read this kind of file";
  return `${file}:${line}:${column}: //trace: directive ignored: ${where}; declare events in a .ts/.js module or a .vue/.svelte script block of the package`;
}

// The warnings of the last package scan of each root (src/scan.ts).
const fromScans = new Map<string, readonly string[]>();

export function recordScanWarnings(root: string, warnings: readonly string[]): void {
  fromScans.set(root, warnings);
}

/**
 * One plugin instance's warnings, at most one per file: from the transform (a
 * module the bundler passes that the plugin does not read) and from the package
 * scan (files no bundler may ever pass, such as an `.html` template).
 */
export function createUnreadWarnings(root: () => string, excluded: (path: string) => boolean) {
  const warned = new Set<string>();
  const once = (file: string, message: string) => (warned.has(file) ? null : (warned.add(file), message));

  /** The warning for a module passed to transform, or null. */
  function own(id: string, code: string): string | null {
    if (id.startsWith("\0")) return null;
    const path = cleanId(id);
    // A component's sub-requests (`App.vue?vue&type=style`) hold a part of it only.
    if (excluded(path) || (isComponentFile(path) && path !== id)) return null;
    const at = unreadDirectiveAt(path, code, isPackageMember(path));
    if (at < 0) return null;
    const file = relative(root(), path).split(sep).join("/");
    // With a query the text is a part of the file (Vite's inline <script> of index.html): no position.
    const message = unreadDirectiveMessage(file, code, at);
    return once(file, path === id ? message : message.replace(/^([^]*?):\d+:\d+: /, "$1: "));
  }

  /** Warnings of the last package scan not given yet. */
  function fromScan(): string[] {
    const out: string[] = [];
    for (const m of fromScans.get(root()) ?? []) {
      const w = once(m.slice(0, m.search(/:\d+:\d+: /)), m);
      if (w) out.push(w);
    }
    return out;
  }

  return {
    /** Warnings to give while transforming a module: its own, and the package scan's once it has run. */
    check(id: string, code: string): string[] {
      const w = own(id, code);
      const scan = fromScan();
      return w ? [...scan, w] : scan;
    },
    fromScan,
  };
}
