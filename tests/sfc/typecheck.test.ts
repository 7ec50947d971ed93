// Issue 11: vue-tsc and svelte-check accept the declaration file `tstrace gen`
// writes for a project whose events are declared in components, and type the
// calls by it: the fixture's typecheck/Misuse.* files hold the one error each
// checker must find. (Both run with the TypeScript 5 API: see vue-tsc.cjs and
// svelte-check.cjs beside this file.)
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { appRoot } from "./vite-config.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const projectRoot = join(here, "../..");

const run = (args: string[], cwd: string) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(process.execPath, args, { cwd, timeout: 170_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr })),
  );

let gen: { code: number; out: string };
beforeAll(async () => {
  gen = await run([join(projectRoot, "dist/src/cli.js"), "gen", "--root", appRoot, "--out", join(appRoot, "out/tracing-env.d.ts")], projectRoot);
}, 60_000);

it("tstrace gen writes the declaration file from the components' directives and warns about the .astro and .html ones", () => {
  expect(gen.code).toBe(0);
  const why = "//trace: directive ignored: the plugin does not read this kind of file; declare events in a .ts/.js module or a .vue/.svelte script block of the package";
  expect(gen.out).toBe(`warning: src/svelte/widget.astro:2:1: ${why}\nwarning: src/vue/help.html:5:1: ${why}\n`);
});

it.concurrent("vue-tsc accepts the declaration file: the components type-check, the misuse is the only error", async () => {
  const { code, out } = await run([join(here, "vue-tsc.cjs"), "-p", "tsconfig.vue.json"], appRoot);
  expect(out.trim()).toBe("typecheck/Misuse.vue(3,15): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.");
  expect(code).toBe(2);
}, 180_000);

it.concurrent("svelte-check accepts the declaration file: the components type-check, the misuse is the only problem", async () => {
  const { out } = await run([join(here, "svelte-check.cjs"), "--tsconfig", "./tsconfig.svelte.json", "--output", "machine"], appRoot);
  const lines = out.trim().split("\n").map((l) => l.replace(/^\d+ /, ""));
  expect(lines.filter((l) => /^(ERROR|WARNING)/.test(l))).toEqual([`ERROR "typecheck/Misuse.svelte" 3:18 "Argument of type 'string' is not assignable to parameter of type 'number'."`]);
  expect(lines.at(-1)).toMatch(/^COMPLETED \d+ FILES 1 ERRORS 0 WARNINGS 1 FILES_WITH_PROBLEMS$/);
}, 180_000);
