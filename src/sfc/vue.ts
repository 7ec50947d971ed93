// Vue single-file components: `<script>` and `<script setup>`, TypeScript or JavaScript.
import { findScriptBlocks, type ScriptBlock } from "./blocks.ts";

/**
 * The script blocks of a `.vue` file that hold code (not `src=`), and the block
 * generated imports go into: `<script setup>` if there is one, as
 * @vue/compiler-sfc hoists its imports to the module's top, where the plain
 * `<script>` sees them too.
 */
export function vueScripts(text: string): { blocks: ScriptBlock[]; importInto: ScriptBlock | null } {
  const blocks = findScriptBlocks(text, "vue").filter((b) => !b.attrs.has("src"));
  const importInto = blocks.find((b) => b.attrs.has("setup")) ?? blocks[0] ?? null;
  return { blocks, importInto };
}
