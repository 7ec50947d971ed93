// Issue 11: components through the plugin's context, without a bundler: errors
// at the place in the .vue/.svelte file, generated imports inside a script
// block, package membership, and warnings for directives the plugin does not read.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createContext } from "../../src/context.ts";
import { findPackageDirs } from "../../src/scan.ts";
import { createUnreadWarnings } from "../../src/sfc/unread.ts";

let root: string;
const files: Record<string, string> = {
  "ui/Button.vue": `<template>\n  <button @click="click">{{ n }}</button>\n</template>\n\n<script setup lang="ts">\n//trace:event traceButton(n: number)\nlet n = 0\nfunction click() {\n  traceButton(++n)\n}\n</script>\n\n<style>\nbutton { color: red }\n</style>\n`,
  "ui/Card.svelte": `<script module>\n//trace:event traceCard(id: string)\n</script>\n\n<script lang="ts">\nlet { id }: { id: string } = $props()\ntraceCard(id)\ntraceButton(1)\n</script>\n\n<p>{id}</p>\n`,
  "ui/helpers.ts": `export const attachButton = (fn: (n: number) => void) => traceButton_Attach(null, fn)\n`,
  "bad/Bad.vue": `<template><p /></template>\n<script setup lang="ts">\nconst x = 1\n//trace:event badName()\n</script>\n`,
  "bad/Indented.svelte": `<script>\n  //trace:event traceIndented()\n</script>\n`,
  "odd/Odd.vue": `<template>\n<pre>\n//trace:event traceInTemplate()\n</pre>\n</template>\n<script lang="coffee">\n//trace:event traceCoffee()\n</script>\n`,
  "odd/page.astro": `---\nconst a = 1\n//trace:event traceAstro()\n---\n<p>{a}</p>\n`,
  "odd/notes.md": `# notes\n\n//trace:event traceDocs()\n`,
  "tmpl/Calls.svelte": `<script lang="ts">\n//trace:event traceTap(n: number)\n</script>\n\n<button onclick={() => traceTap(2)}>tap</button>\n`,
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "trace-sfc-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
});

const transform = (name: string) => createContext({ root, dts: false }).transform(files[name]!, join(root, name), null);

it("a component belongs to its directory's package: events of .vue, .svelte and .ts modules are shared", () => {
  const pkg = createContext({ root, dts: false }).store.get(join(root, "ui"));
  expect(pkg.errors).toEqual([]);
  expect(pkg.events.map((e) => `${e.file}:${e.pos.line}:${e.pos.column} ${e.name}`)).toEqual(["ui/Button.vue:6:1 traceButton", "ui/Card.svelte:2:1 traceCard"]);
  expect(pkg.files.map((f) => f.slice(root.length + 1))).toEqual(["ui/Button.vue", "ui/Card.svelte", "ui/helpers.ts"]);
});

it("Vue: the rewrite stays in the script block, the import goes into <script setup>, the rest of the file is untouched", async () => {
  const { result } = await transform("ui/Button.vue");
  const code = result!.code;
  const setup = code.slice(code.indexOf("<script setup"), code.indexOf("</script>"));
  expect(setup).toContain("(__tp_traceButton.p !== null ? __tp_traceButton.fire(++n) : void 0)");
  expect(setup).toContain(`import { __tp_traceButton } from "trace-pkg:ui";`);
  expect(code.endsWith("<style>\nbutton { color: red }\n</style>\n")).toBe(true);
  expect(code.startsWith(files["ui/Button.vue"]!.slice(0, files["ui/Button.vue"]!.indexOf("//trace")))).toBe(true);
  expect(result!.map.sources).toEqual([join(root, "ui/Button.vue")]);
});

it("Svelte: the import goes into the module script, which the instance script sees", async () => {
  const { result } = await transform("ui/Card.svelte");
  const code = result!.code;
  const moduleScript = code.slice(0, code.indexOf("</script>"));
  expect(moduleScript).toContain("import { __tp_traceButton, __tp_traceCard } from");
  const instance = code.slice(code.indexOf("<script lang"), code.lastIndexOf("</script>"));
  expect(instance).toContain("(__tp_traceCard.p !== null ? __tp_traceCard.fire(id) : void 0)");
  expect(instance).not.toContain("import {");
});

it("a bad directive in a component fails with the .vue file's line and column", async () => {
  await expect(transform("bad/Bad.vue")).rejects.toThrow('bad/Bad.vue:4:15: event name badName must start with "trace"');
});

it("an indented //trace: line in a component is a plain comment, as in a .ts module", async () => {
  const pkg = createContext({ root, dts: false }).store.get(join(root, "bad"));
  expect(pkg.events.map((e) => e.name)).toEqual([]);
});

it("warnings: a directive in an .astro file, in a component's template or lang=coffee block, in an inline script of index.html", () => {
  const unread = createUnreadWarnings(() => root, () => false);
  const check = (name: string, text = files[name]!) => unread.check(join(root, name), text);
  expect(check("odd/page.astro")).toEqual([
    "odd/page.astro:3:1: //trace: directive ignored: the plugin does not read this kind of file; declare events in a .ts/.js module or a .vue/.svelte script block of the package",
  ]);
  expect(check("odd/Odd.vue")[0]).toMatch(/^odd\/Odd\.vue:3:1: \/\/trace: directive ignored: it is outside the component's <script> blocks/);
  expect(unread.check(join(root, "index.html?html-proxy&index=0.js"), "//trace:event traceInline()\n")[0]).toMatch(/^index\.html: \/\/trace: directive ignored: the plugin does not read/);
  // Once per file; modules read as such, and a component's sub-requests, give none.
  expect(check("odd/page.astro")).toEqual([]);
  expect(check("ui/Button.vue")).toEqual([]);
  expect(check("ui/helpers.ts", "//trace:event traceX()\n")).toEqual([]);
  expect(unread.check(join(root, "odd/Odd.vue?vue&type=style&index=0.css"), "//trace:event traceX()\n")).toEqual([]);
});

it("warnings: a trace call in Svelte markup (or a Vue template) is not rewritten, so it is a warning; a call in the script is not", () => {
  const ctx = createContext({ root, dts: false });
  const unread = createUnreadWarnings(() => root, () => false, (dir) => new Set(ctx.store.get(dir).events.map((e) => e.name)));
  expect(unread.check(join(root, "tmpl/Calls.svelte"), files["tmpl/Calls.svelte"]!)).toEqual([
    "tmpl/Calls.svelte:5:24: traceTap(...) outside the <script> blocks is not rewritten and fails when it runs; call a function of the script that calls it",
  ]);
  expect(unread.check(join(root, "ui/Button.vue"), files["ui/Button.vue"]!)).toEqual([]);
  expect(unread.check(join(root, "ui/Card.svelte"), files["ui/Card.svelte"]!)).toEqual([]);
});

it("the package scan finds component packages and notes directives it would not read (not in Markdown)", async () => {
  expect((await findPackageDirs(root)).map((d) => d.slice(root.length + 1))).toEqual(["bad", "odd", "tmpl", "ui"]);
  const unread = createUnreadWarnings(() => root, () => false);
  expect(unread.fromScan().map((w) => w.slice(0, w.indexOf(" ")))).toEqual(["odd/Odd.vue:3:1:", "odd/page.astro:3:1:"]);
  expect(unread.fromScan()).toEqual([]);
});
