// A project made from one of create-vite's templates, as `npm create vite` makes it: the
// template folder copied as is, its dependencies linked from this repository's node_modules
// (no install per test), unplugin-tracing linked to this checkout's built package.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../../", import.meta.url));
const modules = join(repo, "node_modules");

export type Template = "react-ts" | "vue-ts" | "svelte-ts";

/** Apps made so far, for removeApps(). */
const made: string[] = [];

/** Removes the apps (their node_modules hold only links: nothing linked to is touched). */
export function removeApps(): void {
  for (const app of made.splice(0)) rmSync(app, { recursive: true, force: true });
}

export function fromTemplate(template: Template): string {
  const app = mkdtempSync(join(tmpdir(), `trace-${template}-`));
  made.push(app);
  cpSync(join(modules, "create-vite", `template-${template}`), app, { recursive: true });
  renameSync(join(app, "_gitignore"), join(app, ".gitignore")); // as create-vite does
  linkModules(app);
  return app;
}

function linkModules(app: string): void {
  const nm = join(app, "node_modules");
  const bin = join(nm, ".bin");
  mkdirSync(bin, { recursive: true });
  for (const name of readdirSync(modules)) {
    if (name.startsWith(".")) continue;
    symlinkSync(join(modules, name), join(nm, name));
  }
  for (const name of readdirSync(join(modules, ".bin"))) symlinkSync(realpathSync(join(modules, ".bin", name)), join(bin, name));
  // The package as built by `npm run build` (dist/, its package.json exports and bin).
  symlinkSync(repo, join(nm, "unplugin-tracing"));
  const tstrace = join(bin, "tstrace");
  writeFileSync(tstrace, `#!/bin/sh\nexec "${process.execPath}" "${join(repo, "dist/src/cli.js")}" "$@"\n`);
  chmodSync(tstrace, 0o755);
}

/**
 * vue-ts builds with `vue-tsc -b`, which needs TypeScript's JavaScript API (TypeScript 6,
 * as the template pins; this repository has 7, which has none). Installed once, at the
 * versions the template asks for, into node_modules/.cache: the only network install.
 */
export function linkVueTsc(app: string): void {
  const want = JSON.parse(readFileSync(join(modules, "create-vite/template-vue-ts/package.json"), "utf8")).devDependencies as Record<string, string>;
  const deps = { "vue-tsc": want["vue-tsc"]!, typescript: want.typescript! };
  const dir = join(modules, ".cache/unplugin-tracing-vue-tsc");
  const manifest = `${JSON.stringify({ private: true, dependencies: deps }, null, 2)}\n`;
  const current = existsSync(join(dir, "package.json")) ? readFileSync(join(dir, "package.json"), "utf8") : "";
  if (current !== manifest || !existsSync(join(dir, "node_modules/vue-tsc/package.json"))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), manifest);
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: dir, stdio: "pipe" });
  }
  // This repository's own vue-tsc (the SFC type-check tests') is linked already: replace it.
  for (const link of ["node_modules/vue-tsc", "node_modules/.bin/vue-tsc"]) rmSync(join(app, link), { force: true });
  symlinkSync(join(dir, "node_modules/vue-tsc"), join(app, "node_modules/vue-tsc"));
  symlinkSync(join(dir, "node_modules/vue-tsc/bin/vue-tsc.js"), join(app, "node_modules/.bin/vue-tsc"));
}

/** Replaces `from` by `to` in a file of the app; the template must still contain `from`. */
export function edit(app: string, file: string, from: string, to: string): void {
  const path = join(app, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: the template changed`);
  writeFileSync(path, text.replace(from, to));
}

/** The README's tracepoint (src/counter/) and its tracetest example (src/greeter/), each with its test. */
export function addExamples(app: string): void {
  for (const dir of ["counter", "greeter"]) {
    const here = fileURLToPath(new URL(`./${dir}/`, import.meta.url));
    mkdirSync(join(app, "src", dir), { recursive: true });
    cpSync(join(here, `${dir}.ts`), join(app, "src", dir, `${dir}.ts`));
    cpSync(join(here, `${dir}-test.ts`), join(app, "src", dir, `${dir}.test.ts`));
  }
}

/** The README's changes to package.json: scripts, and the devDependencies it installs. */
export function editPackageJson(app: string, scripts: Record<string, string>): void {
  const path = join(app, "package.json");
  const pkg = JSON.parse(readFileSync(path, "utf8"));
  Object.assign(pkg.scripts, scripts);
  pkg.devDependencies = { ...pkg.devDependencies, "unplugin-tracing": "^0.1.0", vitest: "^4.1.12" };
  writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
}
