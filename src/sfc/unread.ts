// Directives the plugin would not read: a `//trace:` line in a file kind it
// does not parse (`.astro`, `.mdx`, `.html`...), or in a component outside its
// script blocks. They are reported as warnings that name the place, never dropped
// in silence: the code that calls the event would fail only at run time.
import { dirname, relative, sep } from "node:path";
import { createLineMap } from "../errors.ts";
import { cleanId } from "../ids.ts";
import { isPackageMember } from "../packages.ts";
import { componentScripts, isComponentFile } from "./component.ts";
import { templateTraceCall } from "./template-calls.ts";

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
export function createUnreadWarnings(root: () => string, excluded: (path: string) => boolean, eventsOf: (dir: string) => ReadonlySet<string> = () => new Set()) {
  const warned = new Set<string>();
  const once = (file: string, message: string) => (warned.has(file) ? null : (warned.add(file), message));

  /** Warnings for a module passed to transform: a directive not read, a trace call in a template. */
  function own(id: string, code: string): string[] {
    if (id.startsWith("\0")) return [];
    const path = cleanId(id);
    // A component's sub-requests (`App.vue?vue&type=style`) hold a part of it only.
    if (excluded(path) || (isComponentFile(path) && path !== id)) return [];
    const file = relative(root(), path).split(sep).join("/");
    const out: Array<string | null> = [];
    const at = unreadDirectiveAt(path, code, isPackageMember(path));
    // With a query the text is a part of the file (Vite's inline <script> of index.html): no position.
    const message = at < 0 ? null : unreadDirectiveMessage(file, code, at);
    if (message) out.push(once(file, path === id ? message : message.replace(/^([^]*?):\d+:\d+: /, "$1: ")));
    const call = isComponentFile(path) ? templateTraceCall(path, code, eventsOf(dirname(path))) : null;
    if (call) {
      const { line, column } = createLineMap(code)(call.at);
      const why = "outside the <script> blocks is not rewritten and fails when it runs; call a function of the script that calls it";
      out.push(once(`${file}#template`, `${file}:${line}:${column}: ${call.name}(...) ${why}`));
    }
    return out.filter((w) => w !== null);
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
      return [...fromScan(), ...own(id, code)];
    },
    fromScan,
  };
}
