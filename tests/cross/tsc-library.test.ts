// A library that publishes what plain `tsc` emitted (issue 11, item 3): `tstrace build dist`
// rewrites dist/ in place, and an app attaches to it through `trace:<lib>` like to any library.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, runJson, type Bundler } from "../helpers/build.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = fileURLToPath(new URL("fixtures/", import.meta.url));
const cli = join(repo, "dist/src/cli.js");
const tsc = join(repo, "node_modules/typescript/bin/tsc");
let work: string;
let lib: string;
let app: string;
let firstRun: ReturnType<typeof spawnSync>;

const tstrace = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
/** Every file below dir with its content, to compare runs. */
const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === "node_modules") continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
};

// node_modules there hold only links: removing them leaves what they link to.
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "trace-tsclib-"));
  lib = join(work, "tsc-lib");
  cpSync(join(fixtures, "tsclib"), lib, { recursive: true });
  // The library depends on unplugin-tracing (its package modules import the runtime).
  mkdirSync(join(lib, "node_modules"));
  symlinkSync(repo, join(lib, "node_modules/unplugin-tracing"));
  // Its build script, step by step: tstrace gen && tsc && tstrace build dist
  expect(tstrace(lib, "gen").status).toBe(0);
  execFileSync(process.execPath, [tsc, "-p", "."], { cwd: lib, stdio: "pipe" });
  firstRun = tstrace(lib, "build", "dist");

  app = join(work, "app");
  cpSync(join(fixtures, "tscapp"), app, { recursive: true });
  const installed = join(app, "node_modules/tsc-lib");
  mkdirSync(installed, { recursive: true });
  for (const f of ["package.json", "tracing.json", "dist"]) cpSync(join(lib, f), join(installed, f), { recursive: true });
  symlinkSync(repo, join(app, "node_modules/unplugin-tracing")); // installed as the library's dependency
});

describe("tstrace build on what tsc emitted", () => {
  it("rewrites the modules in place, beside a package module per directory, and writes the manifest", () => {
    expect(firstRun.stderr).toBe("");
    expect(firstRun.status).toBe(0);
    const wire = readFileSync(join(lib, "dist/wire/wire.js"), "utf8");
    expect(wire).not.toMatch(/(?<![\w.])traceFrame\(/);
    expect(wire).toContain('import { __tp_traceFrame } from "./__tracing.js";');
    expect(wire.trimEnd().endsWith("//# sourceMappingURL=wire.js.map")).toBe(true);
    // index.ts attaches through //trace:import "./wire": its package module re-exports wire's.
    expect(readFileSync(join(lib, "dist/__tracing.js"), "utf8")).toContain('export { traceFrame_Attach as wire_traceFrame_Attach } from "./wire/__tracing.js";');
    const manifest = JSON.parse(readFileSync(join(lib, "tracing.json"), "utf8"));
    expect(manifest.packages.map((p: { id: string; events: { name: string }[] }) => [p.id, p.events.map((e) => e.name)])).toEqual([
      ["tsc-lib", ["traceConnect"]],
      ["tsc-lib/wire", ["traceFrame"]],
    ]);
  });

  it("reads the directives from the sources, since tsc drops one that stands before a type, and leaves none in dist/", () => {
    for (const f of ["dist/wire/wire.js", "dist/index.js"]) expect(readFileSync(join(lib, f), "utf8")).not.toContain("//trace:");
    expect(readFileSync(join(lib, "dist/wire/__tracing.js"), "utf8")).toContain('"src/wire/wire.ts:2:1"');
  });

  it("changes nothing on a second run", () => {
    const before = snapshot(lib);
    const again = tstrace(lib, "build", "dist");
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(snapshot(lib)).toEqual(before);
  });

  it("keeps the source maps pointing at the .ts lines (chained with tsc's)", () => {
    writeFileSync(
      join(lib, "throw.mjs"),
      [
        'import { attach, setup } from "unplugin-tracing/runtime";',
        'import { connect } from "./dist/index.js";',
        'setup(() => attach("tsc-lib/wire:traceFrame", () => { throw new Error("from a probe"); }));',
        'await connect("a", 1).catch((e) => console.log(e.stack));',
      ].join("\n"),
    );
    const stack = execFileSync(process.execPath, ["--enable-source-maps", "throw.mjs"], { cwd: lib, encoding: "utf8" });
    expect(stack).toContain(`at sendFrame (${join(lib, "src/wire/wire.ts")}:6:3)`);
    expect(stack).toContain(`at connect (${join(lib, "src/index.ts")}:7:10)`);
  });

  it("writes declarations of the package modules that keep the events' parameter types", () => {
    const types = readFileSync(join(lib, "dist/wire/__tracing.d.ts"), "utf8");
    expect(types).toContain('export declare function traceFrame_Attach(pg: import("unplugin-tracing/runtime").ProbeGroup | null, probe: (bytes: number, kind: import("./wire.js").FrameKind) => unknown)');
    // and they type-check against the declarations tsc emitted beside them
    writeFileSync(join(lib, "check.ts"), 'import { traceFrame_Attach } from "./dist/wire/__tracing.js";\ntraceFrame_Attach(null, (bytes, kind) => { const k: "data" | "ping" = kind; return bytes + k.length; });\n');
    execFileSync(process.execPath, [tsc, "--ignoreConfig", "--noEmit", "--strict", "--module", "nodenext", "--types", "", "check.ts"], { cwd: lib, stdio: "pipe" });
  });

  it("fails on a bad directive in the sources with its position, and leaves all of dist/ as tsc wrote it", () => {
    const bad = join(work, "bad");
    cpSync(join(fixtures, "tsclib"), bad, { recursive: true });
    writeFileSync(join(bad, "src/index.ts"), "//trace:evnt traceConnect(host: string)\nexport function connect(host: string) {\n  return host;\n}\n");
    mkdirSync(join(bad, "dist"));
    const emitted = "export function connect(host) {\n  return host;\n}\n";
    writeFileSync(join(bad, "dist/index.js"), emitted);
    // src/wire is fine, and is not rewritten either: a failing run writes nothing
    mkdirSync(join(bad, "dist/wire"));
    const wire = "export async function sendFrame(bytes, kind) {\n    await traceFrame(bytes, kind);\n    return bytes;\n}\n";
    writeFileSync(join(bad, "dist/wire/wire.js"), wire);
    const r = tstrace(bad, "build", "dist");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^src\/index\.ts:1:1: unknown directive \/\/trace:evnt/);
    expect(readFileSync(join(bad, "dist/index.js"), "utf8")).toBe(emitted);
    expect(readFileSync(join(bad, "dist/wire/wire.js"), "utf8")).toBe(wire);
    expect(readdirSync(join(bad, "dist/wire"))).toEqual(["wire.js"]);
  });

  it("refuses CommonJS output with what to change", () => {
    const cjs = join(work, "cjs");
    cpSync(join(fixtures, "tsclib"), cjs, { recursive: true });
    mkdirSync(join(cjs, "dist"));
    writeFileSync(join(cjs, "dist/index.js"), '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.connect = connect;\nfunction connect(host, port) {\n  traceConnect(host, port);\n}\n');
    const r = tstrace(cjs, "build", "dist");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("dist/index.js:1:1: tstrace build: dist/index.js is CommonJS; have tsc emit ES modules");
  });
});

describe("the app's types", () => {
  it("keep the library's parameter types through its declarations, so a wrong probe fails tsc", async () => {
    await build("esbuild", app, { entry: "src/main.ts", outDir: "dts", options: { dts: "tracing-env.d.ts" } });
    const dts = readFileSync(join(app, "tracing-env.d.ts"), "utf8");
    expect(dts).toContain('declare module "trace:tsc-lib/wire" {\n  export const wire_traceFrame_Attach: typeof import("./node_modules/tsc-lib/dist/wire/__tracing.js").traceFrame_Attach;\n}');
    execFileSync(process.execPath, [tsc, "-p", "."], { cwd: app, stdio: "pipe" });
    writeFileSync(join(app, "src/wrong.ts"), 'import { wire_traceFrame_Attach } from "trace:tsc-lib/wire";\nwire_traceFrame_Attach(null, (_bytes, kind: "nope") => kind);\n');
    const wrong = spawnSync(process.execPath, [tsc, "-p", "."], { cwd: app, encoding: "utf8" });
    rmSync(join(app, "src/wrong.ts"));
    expect(wrong.stdout).toContain("src/wrong.ts(2,");
    expect(wrong.stdout).toContain('"nope"');
    expect(wrong.status).not.toBe(0);
  });
});

describe.each<Bundler>(["esbuild", "vite"])("an app using the tsc-built library, %s", (bundler) => {
  it("attaches through trace:tsc-lib and sees the events", async () => {
    const { file } = await build(bundler, app, { entry: "src/main.ts", outDir: `tsc-${bundler}` });
    expect(await runJson(file)).toEqual(["connect example:80", "frame 87 data", "counted 1"]);
  });
});
