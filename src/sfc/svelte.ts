// Svelte components: the instance script and the module script
// (`<script module>` in Svelte 5, `<script context="module">` before).
import { findScriptBlocks, type ScriptBlock } from "./blocks.ts";

const isModule = (b: ScriptBlock) => b.attrs.has("module") || b.attrs.get("context") === "module";

/**
 * The script blocks of a `.svelte` file, and the block generated imports go
 * into: the module script if there is one (its bindings are visible to the
 * instance script, not the other way round), else the instance script.
 */
export function svelteScripts(text: string): { blocks: ScriptBlock[]; importInto: ScriptBlock | null } {
  const blocks = findScriptBlocks(text, "svelte").filter((b) => !b.attrs.has("src"));
  const importInto = blocks.find(isModule) ?? blocks[0] ?? null;
  return { blocks, importInto };
}
