// A component file's text -> its top-level `<script>` blocks, with offsets.
//
// A small single-pass scanner of our own, so the plugin needs neither Vue's nor
// Svelte's compiler. It follows only what decides where a top-level script is:
// comments, tags and their attributes (quoted, and Svelte's `{...}`), raw-text
// elements (whose content ends at the first matching end tag, as in HTML),
// interpolations (`{{ }}` in Vue, `{ }` and `{#if}...{/if}` in Svelte) and
// element nesting. Every loop moves forward; the open-element stack is popped
// at most once per push, so time is linear in the text.

export type Dialect = "vue" | "svelte";

export interface ScriptBlock {
  /** Offset of `<` of the start tag. */
  tagStart: number;
  /** The content: from after the start tag's `>` to before `</script`. */
  start: number;
  end: number;
  /** Attributes, names lower-cased; a bare attribute has the value "". */
  attrs: Map<string, string>;
}

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
const RAW = new Set(["script", "style"]);

const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\t" || c === "\r" || c === "\f";
const isNameStart = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/** The top-level script blocks of a `.vue` or `.svelte` file, in file order. */
export function findScriptBlocks(text: string, dialect: Dialect): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  const n = text.length;
  const stack: string[] = [];
  const open = new Map<string, number>();
  let svelteBlocks = 0; // depth of `{#if}`-like blocks in Svelte markup
  // The next `<` and the next interpolation start, each searched again only once passed.
  let lt = -2;
  let brace = -2;
  const interpolation = dialect === "vue" ? "{{" : "{";
  let i = 0;
  while (i < n) {
    if (lt !== -1 && lt < i) lt = text.indexOf("<", i);
    if (brace !== -1 && brace < i) brace = text.indexOf(interpolation, i);
    const at = lt === -1 ? brace : brace === -1 ? lt : Math.min(lt, brace);
    if (at === -1) break;
    i = at;
    const c = text[i];
    if (c === "{") {
      if (dialect === "vue") {
        const close = text.indexOf("}}", i + 2);
        i = close === -1 ? n : close + 2;
      } else {
        const head = text[i + 1];
        if (head === "#") svelteBlocks++;
        else if (head === "/" && svelteBlocks > 0) svelteBlocks--;
        i = skipBraces(text, i);
      }
      continue;
    }
    // c === "<"
    if (text.startsWith("<!--", i)) {
      const close = text.indexOf("-->", i + 4);
      i = close === -1 ? n : close + 3;
      continue;
    }
    const next = text[i + 1];
    if (next === "!" || next === "?") {
      const close = text.indexOf(">", i + 2);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (next === "/" && isNameStart(text[i + 2])) {
      const { name, end } = readName(text, i + 2);
      const close = text.indexOf(">", end);
      i = close === -1 ? n : close + 1;
      if ((open.get(name) ?? 0) > 0) {
        for (;;) {
          const top = stack.pop()!;
          open.set(top, open.get(top)! - 1);
          if (top === name) break;
        }
      }
      continue;
    }
    if (!isNameStart(next)) {
      i++;
      continue;
    }
    const tagStart = i;
    const { name, end: nameEnd } = readName(text, i + 1);
    const tag = readAttributes(text, nameEnd, dialect);
    i = tag.end;
    if (tag.selfClosing || VOID.has(name)) continue;
    const topLevel = stack.length === 0 && svelteBlocks === 0;
    // Vue reads every top-level block but an HTML <template> as raw text.
    const raw = RAW.has(name) || (dialect === "vue" && topLevel && !(name === "template" && (tag.attrs.get("lang") ?? "html") === "html"));
    if (raw) {
      const contentEnd = findEndTag(text, i, name);
      if (name === "script" && topLevel) blocks.push({ tagStart, start: i, end: contentEnd, attrs: tag.attrs });
      const close = contentEnd < n ? text.indexOf(">", contentEnd) : -1;
      i = close === -1 ? n : close + 1;
      continue;
    }
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
  }
  return blocks;
}

/** A tag name from `i`, lower-cased (Svelte's `svelte:head`, `Foo.Bar` included). */
function readName(text: string, i: number): { name: string; end: number } {
  let j = i;
  while (j < text.length && !isSpace(text[j]) && text[j] !== ">" && text[j] !== "/" && text[j] !== "{") j++;
  return { name: text.slice(i, j).toLowerCase(), end: j };
}

/** Attributes up to and including the start tag's `>`. */
function readAttributes(text: string, i: number, dialect: Dialect): { attrs: Map<string, string>; end: number; selfClosing: boolean } {
  const attrs = new Map<string, string>();
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === ">") return { attrs, end: i + 1, selfClosing: false };
    if (c === "/" && text[i + 1] === ">") return { attrs, end: i + 2, selfClosing: true };
    if (c === "{" && dialect === "svelte") {
      i = skipBraces(text, i); // {spread} or {shorthand}
      continue;
    }
    const nameStart = i;
    while (i < n && !isSpace(text[i]) && text[i] !== "=" && text[i] !== ">" && !(text[i] === "/" && text[i + 1] === ">")) i++;
    if (i === nameStart) i++; // a stray `/` or `=`: step over it
    const name = text.slice(nameStart, i).toLowerCase();
    let j = i;
    while (isSpace(text[j])) j++;
    let value = "";
    if (text[j] === "=") {
      j++;
      while (isSpace(text[j])) j++;
      const q = text[j];
      if (q === '"' || q === "'") {
        const valueStart = j + 1;
        j = valueStart;
        while (j < n && text[j] !== q) j = dialect === "svelte" && text[j] === "{" ? skipBraces(text, j) : j + 1;
        value = text.slice(valueStart, Math.min(j, n));
        j++;
      } else if (q === "{" && dialect === "svelte") {
        j = skipBraces(text, j);
      } else {
        const valueStart = j;
        while (j < n && !isSpace(text[j]) && text[j] !== ">") j++;
        value = text.slice(valueStart, j);
      }
      i = j;
    }
    if (name !== "" && !attrs.has(name)) attrs.set(name, value);
  }
  return { attrs, end: n, selfClosing: false };
}

/** From a `{` to after its matching `}`, stepping over JavaScript strings and template literals. */
function skipBraces(text: string, i: number): number {
  const n = text.length;
  let depth = 0;
  while (i < n) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") {
      if (--depth === 0) return i + 1;
    } else if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < n && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
    }
    i++;
  }
  return n;
}

/** Where the raw text of a `name` element ends: its `</name` (any case) followed by a space, `/` or `>`. */
function findEndTag(text: string, i: number, name: string): number {
  for (let at = text.indexOf("</", i); at !== -1; at = text.indexOf("</", at + 2)) {
    const after = text[at + 2 + name.length];
    if (text.slice(at + 2, at + 2 + name.length).toLowerCase() === name && (after === undefined || isSpace(after) || after === ">" || after === "/")) return at;
  }
  return text.length;
}
