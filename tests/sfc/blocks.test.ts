// Issue 11: our script-block scanner finds the blocks Vue's and Svelte's own
// compilers find, at the same offsets, in files written to confuse it; and it
// stays linear on hostile input.
import { parse as parseVue } from "vue/compiler-sfc";
import { parse as parseSvelte } from "svelte/compiler";
import { describe, expect, it } from "vitest";
import { findScriptBlocks } from "../../src/sfc/blocks.ts";
import { maskOutsideBlocks } from "../../src/sfc/component.ts";

const vueFiles: Record<string, string> = {
  "setup, script, template and style": `<script lang="ts">\nexport const a = 1\n</script>\n\n<script setup lang="ts">\nconst b = 2\n</script>\n<template><p>{{ b }}</p></template>\n<style scoped>p { color: red }</style>\n`,
  "template first, script tags in the template and its strings": `<template>\n  <div title="</template><script>">\n    <template v-if="x"><b>{{ a < b ? '<script>' : '</template>' }}</b></template>\n  </div>\n</template>\n<script setup>\nconst a = 1, b = 2, x = true\n</script>\n`,
  "a custom block and a pug template hold <script> as text": `<docs>\n# use\n<script>not code</script>\n</docs>\n<template lang="pug">\ndiv\n  script.\n    x()\n</template>\n<script>\nexport default {}\n</script>\n`,
  "a comment at the root hides a script": `<!-- <script>old()</script> -->\n<script setup lang="ts" generic="T extends Record<string, unknown>">\ndefineProps<{ t: T }>()\n</script>\n<template><i /></template>\n`,
  "attributes quoted with > inside, and an end tag with spaces": `<script setup lang='ts' data-x="a>b">\nconst c = '</scrip'\n</script >\n<template><br></template>\n`,
  "non-ASCII text before the blocks": `<template><p>Grüße, 日本語 😀</p></template>\n<script setup>\nconst ü = 1\n</script>\n`,
};

const svelteFiles: Record<string, string> = {
  "module and instance scripts, TypeScript": `<script module lang="ts">\nexport const x = 1\n</script>\n<script lang="ts">\nlet a = $state(1)\n</script>\n<p>{a}</p>\n`,
  "context=module, markup first": `<h1>{"<script>"}</h1>\n<script context="module">\nexport const y = 2\n</script>\n<script>\nlet b = 1\n</script>\n`,
  "expressions with < and > in text, attributes and quoted attributes": `<div onclick={() => a > b} title="{a > 1 ? '<script>' : "x"}" {...rest}>{a < b}</div>\n<script>\nlet a = 1, b = 2, rest = {}\n</script>\n`,
  "scripts in elements and blocks are not component scripts": `<svelte:head><script src="/x.js"></script><script type="application/ld+json">{"a": 1}</script></svelte:head>\n<ul><li>one<li>two</ul>\n{#if a}<p>{'{'}</p>{:else}<br>{/if}\n<script>\nlet a = true\n</script>\n`,
  "a comment and a style that mentions scripts": `<!-- <script>nope</script> -->\n<style>\np::after { content: "<script>" }\n</style>\n<script lang="ts">\nconst z: number = 1\n</script>\n`,
};

/** [start, end) of each block's content, as our scanner finds them. */
const ours = (text: string, dialect: "vue" | "svelte") => findScriptBlocks(text, dialect).map((b) => [b.start, b.end]);

describe("Vue: the blocks @vue/compiler-sfc finds", () => {
  it.each(Object.entries(vueFiles))("%s", (_name, text) => {
    const { descriptor, errors } = parseVue(text);
    expect(errors).toEqual([]);
    const want = [descriptor.script, descriptor.scriptSetup]
      .filter((b) => b !== null)
      .map((b) => [b.loc.start.offset, b.loc.end.offset])
      .sort((a, b) => a[0]! - b[0]!);
    expect(ours(text, "vue")).toEqual(want);
  });
});

describe("Svelte 5: the scripts svelte/compiler finds", () => {
  it.each(Object.entries(svelteFiles))("%s", (_name, text) => {
    const ast = parseSvelte(text, { modern: true });
    const want = [ast.module, ast.instance]
      .filter((b) => b != null)
      .map((b) => [b.content.start, b.content.end])
      .sort((a, b) => a[0]! - b[0]!);
    expect(want.length).toBeGreaterThan(0);
    expect(ours(text, "svelte")).toEqual(want);
  });
});

it("attributes of a block: setup, lang, module, context", () => {
  const [a, b] = findScriptBlocks(`<script>\n</script><script setup lang="TS">\n</script>`, "vue");
  expect([...a!.attrs]).toEqual([]);
  expect([...b!.attrs]).toEqual([["setup", ""], ["lang", "TS"]]);
  const [m] = findScriptBlocks(`<script context='module' lang=ts></script>`, "svelte");
  expect([...m!.attrs]).toEqual([["context", "module"], ["lang", "ts"]]);
});

it("the blanked copy keeps every offset and line, and ends a block's last comment before the next block", () => {
  const text = `<script>// a</script><template>\n<p>x</p>\n</template><script setup>const b = 1</script>`;
  const masked = maskOutsideBlocks(text, findScriptBlocks(text, "vue"));
  expect(masked.length).toBe(text.length);
  expect(masked.indexOf("const b")).toBe(text.indexOf("const b"));
  expect(masked.split("\n").length).toBe(text.split("\n").length + 2);
  expect(masked.replace(/\s+/g, " ").trim()).toBe("// a ; const b = 1 ;");
});

describe("hostile input: linear time, no block invented", () => {
  const n = 1_000_000;
  const cases: Record<string, string> = {
    "a million <": "<".repeat(n),
    "unclosed start tags": "<a ".repeat(n / 3),
    "deep nesting, then unmatched end tags": "<div>".repeat(n / 10) + "</b>".repeat(n / 10),
    "unclosed braces": "{".repeat(n),
    "unclosed interpolations": "{{".repeat(n / 2),
    "unclosed comments": "<!--".repeat(n / 4),
    "unclosed quotes in a tag": `<p title="${"'".repeat(n)}`,
    "script start tags with no end": "<script>".repeat(n / 8),
    "many end-tag lookalikes in a script": `<script>${"</scrip".repeat(n / 7)}`,
  };
  it.each(Object.entries(cases))("%s", (_name, text) => {
    for (const dialect of ["vue", "svelte"] as const) {
      for (const b of findScriptBlocks(text, dialect)) expect(b.end).toBeLessThanOrEqual(text.length);
    }
  });
});
