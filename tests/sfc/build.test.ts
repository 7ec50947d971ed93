// Issue 11: directives and trace calls in Vue and Svelte components, built by Vite
// with the frameworks' own plugins, and run: server-rendered in Node here, the
// browser build in tests/sfc/browser.test.ts.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { build } from "vite";
import { beforeAll, expect, it } from "vitest";
import { appConfig, appRoot } from "./vite-config.ts";

const outDir = join(appRoot, "out/ssr");
const warnings: string[] = [];
let run: { log: string[]; vueHtml: string; svelteHtml: string; widget: string; vueStack: string; svelteStack: string };

beforeAll(async () => {
  // With the declaration file on, the package scan runs too.
  const config = await appConfig({ dts: "out/ssr-env.d.ts" }, warnings);
  await build({
    ...config,
    build: { ssr: "src/ssr.ts", outDir, emptyOutDir: true, minify: false, sourcemap: true, rollupOptions: { output: { entryFileNames: "[name].mjs" } } },
  });
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["--enable-source-maps", join(outDir, "ssr.mjs")], { cwd: appRoot }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
  );
  run = JSON.parse(stdout);
});

/** `line:column` of the stack frame in `file` (relative to the app). */
function frameIn(stack: string, file: string): string | null {
  const path = join(appRoot, file);
  for (const line of stack.split("\n")) {
    const i = line.indexOf(`${path}:`);
    if (i >= 0) return /^(\d+:\d+)/.exec(line.slice(i + path.length + 1))![1]!;
  }
  return null;
}

it("trace calls in Vue <script setup lang=ts>, <script lang=ts> and a JavaScript <script> fire with probes attached from another package", () => {
  expect(run.log.filter((l) => l.startsWith("vue"))).toEqual(["vue click 0 setup", "vue label 0", "vue bump 1"]);
  expect(run.vueHtml).toContain("vue 0");
  expect(run.vueHtml).toContain('<span class="label">n=0</span>');
});

it("trace calls in Svelte 5 instance and module scripts, TypeScript and JavaScript, fire with probes attached", () => {
  expect(run.log.filter((l) => l.startsWith("svelte"))).toEqual(["svelte click 0", "svelte plain 0", "svelte poke 2"]);
  expect(run.svelteHtml).toContain("svelte 0");
  expect(run.svelteHtml).toContain("n=0");
});

it("a stack trace from a probe points at the trace call's line and column in the .vue and .svelte file", () => {
  expect(run.vueStack).toMatch(/^Error: probe saw 99\n/);
  expect(frameIn(run.vueStack, "src/vue/Counter.vue")).toBe("4:3");
  expect(frameIn(run.svelteStack, "src/svelte/Counter.svelte")).toBe("4:3");
});

it("a directive in a file kind the plugin does not read is a build warning that names the file: passed through the build, or found by the package scan", () => {
  expect(run.widget).toBe("<p>not read by the plugin</p>");
  const astro = warnings.filter((w) => w.includes("widget.astro"));
  expect(astro).toHaveLength(1);
  expect(astro[0]).toContain("src/svelte/widget.astro:2:1: //trace: directive ignored: the plugin does not read this kind of file");
  // An HTML template no module imports: only the scan sees it.
  const html = warnings.filter((w) => w.includes("help.html"));
  expect(html).toHaveLength(1);
  expect(html[0]).toContain("src/vue/help.html:5:1: //trace: directive ignored: the plugin does not read this kind of file");
  expect(warnings.filter((w) => !w.includes("widget.astro") && !w.includes("help.html") && !w.includes("Tap.vue"))).toEqual([]);
});

it("a trace call in a Vue template, which only the script blocks' rewrite would make work, is a build warning at its place", () => {
  const tap = warnings.filter((w) => w.includes("Tap.vue"));
  expect(tap).toHaveLength(1);
  expect(tap[0]).toContain("src/vue/Tap.vue:6:19: traceTap(...) outside the <script> blocks is not rewritten and fails when it runs; call a function of the script that calls it");
});
