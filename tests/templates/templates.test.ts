// The README's "Start from `npm create vite`", done literally on create-vite's own templates
// (issue 11, item 2): add the plugin and a tracepoint as the README says, then run the
// template's build script and a Vitest test. In vue-ts and svelte-ts the tracepoint is in a
// .ts module that the component imports (tracepoints inside .vue/.svelte are tested apart).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger, resolveConfig } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addExamples, edit, editPackageJson, fromTemplate, linkVueTsc, removeApps, repo, type Template } from "./helpers.ts";

// The child sees what a user's shell has: not our Vitest's NODE_ENV=test and VITEST* variables.
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_ENV" && !k.startsWith("VITEST") && k !== "FORCE_COLOR")), NO_COLOR: "1" };
const npm = (app: string, ...args: string[]) => spawnSync("npm", args, { cwd: app, encoding: "utf8", env });
const tstrace = (app: string, ...args: string[]) => spawnSync(process.execPath, [join(repo, "dist/src/cli.js"), ...args], { cwd: app, encoding: "utf8", env });
const GEN = "tstrace gen --out src/tracing-env.d.ts";
afterAll(removeApps);

/** The template made as the README says: plugin first, declaration file in src/, scripts. */
function prepare(template: Template, plugin: string, build: string): string {
  const app = fromTemplate(template);
  editPackageJson(app, { build, test: "vitest run" });
  edit(app, "vite.config.ts", "import { defineConfig } from 'vite'", "import tracing from 'unplugin-tracing/vite'\nimport { defineConfig } from 'vite'");
  edit(app, "vite.config.ts", `plugins: [${plugin}]`, `plugins: [tracing({ dts: 'src/tracing-env.d.ts' }), ${plugin}]`);
  addExamples(app);
  return app;
}

/** Its own build script passes, with our tracepoint in the bundle, and Vitest runs both examples. */
function buildAndTest(app: string): void {
  const build = npm(app, "run", "build");
  expect(build.stderr + build.stdout).not.toMatch(/error|\[unplugin-tracing\]/i);
  expect(build.status).toBe(0);
  expect(readFileSync(join(app, "src/tracing-env.d.ts"), "utf8")).toContain("declare function traceCount(from: number, to: number): void | Promise<void>;");
  const js = readdirSync(join(app, "dist/assets"))
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(join(app, "dist/assets", f), "utf8"))
    .join("\n");
  // a boolean: the bundle is too big for a failure message
  expect(js.includes("src/counter/counter.ts:1:1") && js.includes("traceCount")).toBe(true);
  // Vitest's 5 s default is too short for verify()'s reruns on a busy 2-core machine.
  const test = npm(app, "test", "--", "--testTimeout=60000");
  expect(test.stdout).toMatch(/Tests\s+2 passed/);
  expect(test.status).toBe(0);
}

describe("react-ts", () => {
  let app: string;
  beforeAll(() => {
    app = prepare("react-ts", "react()", `${GEN} && tsc -b && vite build`);
    edit(app, "src/App.tsx", "import './App.css'", "import './App.css'\nimport { increment } from './counter/counter.ts'");
    edit(app, "src/App.tsx", "setCount((count) => count + 1)", "setCount((count) => increment(count))");
  });

  it("builds with tstrace gen && tsc -b && vite build, and runs the tests under Vitest", () => {
    buildAndTest(app);
  });

  it("tstrace gen --check passes on a current declaration file and fails on a stale one, writing nothing", () => {
    expect(tstrace(app, "gen", "--out", "src/tracing-env.d.ts", "--check").status).toBe(0);
    const before = readFileSync(join(app, "src/tracing-env.d.ts"), "utf8");
    writeFileSync(join(app, "src/counter/reset.ts"), "//trace:event traceReset()\nexport function reset(): number {\n  traceReset()\n  return 0\n}\n");
    const stale = tstrace(app, "gen", "--out", "src/tracing-env.d.ts", "--check");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe("tstrace: src/tracing-env.d.ts is out of date with the //trace: directives; run `tstrace gen --out src/tracing-env.d.ts` and commit it\n");
    expect(readFileSync(join(app, "src/tracing-env.d.ts"), "utf8")).toBe(before);
  });

  it("warns when the declaration file is in no tsconfig's include (the default, at the root)", async () => {
    const { default: tracing } = await import(join(repo, "dist/src/vite.js"));
    const warned: string[] = [];
    const logger = createLogger("warn");
    logger.warn = (msg) => void warned.push(msg);
    await resolveConfig({ root: app, configFile: false, customLogger: logger, plugins: [tracing({ dts: false })] }, "build");
    await resolveConfig({ root: app, configFile: false, customLogger: logger, plugins: [tracing({ dts: "src/tracing-env.d.ts" })] }, "build");
    expect(warned).toEqual([]);
    await resolveConfig({ root: app, configFile: false, customLogger: logger, plugins: [tracing()] }, "build");
    expect(warned).toEqual([
      '[unplugin-tracing] the declaration file tracing-env.d.ts is in no tsconfig\'s "include" (tsconfig.json, tsconfig.app.json, tsconfig.node.json), so tsc does not see the trace functions; write it where your code\'s tsconfig looks: tracing({ dts: "src/tracing-env.d.ts" }) and `tstrace gen --out src/tracing-env.d.ts`',
    ]);
  });
});

describe("vue-ts", () => {
  it("builds with tstrace gen && vue-tsc -b && vite build, and runs the tests under Vitest", () => {
    const app = prepare("vue-ts", "vue()", `${GEN} && vue-tsc -b && vite build`);
    linkVueTsc(app);
    edit(app, "src/components/HelloWorld.vue", "import { ref } from 'vue'", "import { ref } from 'vue'\nimport { increment } from '../counter/counter.ts'");
    edit(app, "src/components/HelloWorld.vue", '@click="count++"', '@click="count = increment(count)"');
    buildAndTest(app);
  }, 240_000); // vue-tsc is slow, and installs the first time
});

describe("svelte-ts", () => {
  it("builds with tstrace gen && vite build, and runs the tests under Vitest", () => {
    const app = prepare("svelte-ts", "svelte()", `${GEN} && vite build`);
    edit(app, "src/lib/Counter.svelte", "<script lang=\"ts\">", "<script lang=\"ts\">\n  import { increment as next } from '../counter/counter.ts'");
    edit(app, "src/lib/Counter.svelte", "count += 1", "count = next(count)");
    buildAndTest(app);
  });
});
