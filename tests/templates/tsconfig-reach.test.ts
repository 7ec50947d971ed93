// Which declaration-file places the templates' tsconfigs see (issue 11, item 2): read from
// create-vite's own folders, whose tsconfig files carry comments and `src/**/*` globs.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dtsReachWarning } from "../../src/tsconfig-reach.ts";

const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
const templates = fileURLToPath(new URL("../../node_modules/create-vite/", import.meta.url));

describe.each(["react-ts", "vue-ts", "svelte-ts"])("create-vite's %s", (name) => {
  const root = join(templates, `template-${name}`);
  it("sees src/tracing-env.d.ts and not the default at the root", () => {
    expect(dtsReachWarning(root, join(root, "src/tracing-env.d.ts"))).toBeNull();
    expect(dtsReachWarning(root, join(root, "tracing-env.d.ts"))).toContain('write it where your code\'s tsconfig looks: tracing({ dts: "src/tracing-env.d.ts" })');
  });
});

describe("tsconfig files the warning cannot be sure about stay quiet", () => {
  const project = (files: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), "trace-reach-"));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(root, f, ".."), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    return root;
  };
  it("no tsconfig.json, an unreadable one, an extends without include, a cycle of references", () => {
    const dts = (root: string) => join(root, "tracing-env.d.ts");
    let root = project({ "package.json": "{}" });
    expect(dtsReachWarning(root, dts(root))).toBeNull();
    root = project({ "tsconfig.json": "{ not json" });
    expect(dtsReachWarning(root, dts(root))).toBeNull();
    root = project({ "tsconfig.json": '{ "extends": "./base.json" }' });
    expect(dtsReachWarning(root, dts(root))).toBeNull();
    root = project({ "tsconfig.json": '{ "files": [], "references": [{ "path": "./a" }] }', "a/tsconfig.json": '{ "files": [], "references": [{ "path": ".." }] }' });
    expect(dtsReachWarning(root, dts(root))).toMatch(/^the declaration file tracing-env\.d\.ts is in no tsconfig's "include" \(tsconfig\.json, a\/tsconfig\.json\)/);
  });
  it("a config with neither files nor include takes everything below it; comments and trailing commas are read", () => {
    let root = project({ "tsconfig.json": '{ "compilerOptions": { "strict": true } }' });
    expect(dtsReachWarning(root, join(root, "tracing-env.d.ts"))).toBeNull();
    root = project({ "tsconfig.json": '// top\n{ /* "include": ["nope"] */ "include": ["types/*.d.ts", "src/**/*",], }\n' });
    expect(dtsReachWarning(root, join(root, "types/tracing-env.d.ts"))).toBeNull();
    expect(dtsReachWarning(root, join(root, "tracing-env.d.ts"))).not.toBeNull();
  });
});

// A library built with plain tsc has no plugin to warn at startup: `tstrace gen` says it.
it("tstrace gen warns when no tsconfig includes the file it wrote, and not once it does", () => {
  const root = mkdtempSync(join(tmpdir(), "trace-reach-gen-"));
  mkdirSync(join(root, "source"));
  writeFileSync(join(root, "package.json"), '{ "name": "lib", "type": "module" }');
  writeFileSync(join(root, "tsconfig.json"), '{ "extends": "./base.json", "compilerOptions": { "outDir": "dist" }, "include": ["source"] }');
  writeFileSync(join(root, "source/index.ts"), "//trace:event traceGo(n: number)\nexport const go = (n: number) => traceGo(n);\n");
  const gen = (...args: string[]) => spawnSync(process.execPath, [cli, "gen", ...args], { cwd: root, encoding: "utf8" });
  const atRoot = gen();
  expect(atRoot.status).toBe(0);
  expect(atRoot.stderr).toBe(
    'warning: the declaration file tracing-env.d.ts is in no tsconfig\'s "include" (tsconfig.json), so tsc does not see the trace functions; write it where your code\'s tsconfig looks: tracing({ dts: "source/tracing-env.d.ts" }) and `tstrace gen --out source/tracing-env.d.ts`\n',
  );
  const inSource = gen("--out", "source/tracing-env.d.ts");
  expect([inSource.status, inSource.stderr]).toEqual([0, ""]);
});
