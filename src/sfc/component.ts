// Single-file components as modules: the script blocks of a `.vue` or `.svelte`
// file are what the plugin reads, parses and rewrites; the rest of the file is
// left to the framework's own plugin, which runs after ours.
//
// The blocks are parsed together as one module, in a copy of the file where
// everything outside them is blanked (newlines kept): the AST's offsets are then
// offsets into the whole file, so directives, errors, rewrites (MagicString on
// the file's text) and source maps all point into the `.vue`/`.svelte` file.
import { parseSync } from "oxc-parser";
import type { ScriptBlock } from "./blocks.ts";
import { svelteScripts } from "./svelte.ts";
import { vueScripts } from "./vue.ts";

/** `.vue` and `.svelte` files. (`.svelte.ts` rune modules are plain modules.) */
export const COMPONENT_FILE = /\.(?:vue|svelte)$/;

export const isComponentFile = (path: string) => COMPONENT_FILE.test(path);

type Lang = "ts" | "tsx" | "js" | "jsx";

/** A block's language from `lang` (or Svelte's `type`), or null for one we do not parse (`lang="coffee"`). */
function langOf(block: ScriptBlock): Lang | null {
  const lang = (block.attrs.get("lang") ?? block.attrs.get("type") ?? "").toLowerCase();
  switch (lang) {
    case "":
    case "js":
    case "javascript":
    case "text/javascript":
    case "module":
      return "js";
    case "ts":
    case "typescript":
    case "text/typescript":
      return "ts";
    case "tsx":
    case "jsx":
      return lang;
    default:
      return null;
  }
}

export interface ComponentScripts {
  /** Blocks the plugin reads. */
  blocks: ScriptBlock[];
  /** Script blocks in a language the plugin does not parse. */
  unread: ScriptBlock[];
  /** The language the blocks are parsed in together. */
  lang: Lang;
  /** Where generated imports go: the end of this block's content. */
  importAt: number | null;
}

let last: { path: string; text: string; scripts: ComponentScripts } | null = null;

/** The script blocks of a component file (the last answer is kept: transform asks twice). */
export function componentScripts(path: string, text: string): ComponentScripts {
  if (last && last.path === path && last.text === text) return last.scripts;
  const { blocks: all, importInto } = path.endsWith(".vue") ? vueScripts(text) : svelteScripts(text);
  const blocks = all.filter((b) => langOf(b) !== null);
  const langs = new Set(blocks.map(langOf));
  const lang: Lang = langs.has("tsx") ? "tsx" : langs.has("ts") ? "ts" : langs.has("jsx") ? "jsx" : "js";
  const importAt = importInto && blocks.includes(importInto) ? importInto.end : (blocks[0]?.end ?? null);
  const scripts = { blocks, unread: all.filter((b) => langOf(b) === null), lang, importAt };
  last = { path, text, scripts };
  return scripts;
}

/** The file's text with everything outside the blocks blanked, same length, newlines kept. */
export function maskOutsideBlocks(text: string, blocks: readonly ScriptBlock[]): string {
  const parts: string[] = [];
  let at = 0;
  const blank = (from: number, to: number) => parts.push(text.slice(from, to).replace(/[^\n]/g, " "));
  for (const b of blocks) {
    if (b.start > at) blank(at, b.start);
    parts.push(text.slice(b.start, b.end));
    // End the block's last line (a `//` comment) and statement before the next block starts.
    if (b.end + 2 <= text.length) {
      parts.push("\n;");
      at = b.end + 2;
    } else at = b.end;
  }
  blank(at, text.length);
  return parts.join("");
}

/** Parses a component's script blocks as one module, at their offsets in the file. */
export function parseComponent(path: string, text: string): ReturnType<typeof parseSync> {
  const { blocks, lang } = componentScripts(path, text);
  return parseSync(path, maskOutsideBlocks(text, blocks), { lang, sourceType: "module" });
}

/** Where a rewrite of this file puts its generated imports: inside a script block, or undefined for a plain module. */
export function componentImportAt(path: string, text: string): number | undefined {
  return isComponentFile(path) ? (componentScripts(path, text).importAt ?? undefined) : undefined;
}
