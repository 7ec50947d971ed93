// Cross-package tracing (issue 3): both import forms, the declaration file, the CLI.
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { build, runJson, type Bundler } from "../helpers/build.ts";

const typed = fileURLToPath(new URL("fixtures/typed/", import.meta.url));
const repo = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(repo, "dist/src/cli.js");
const tsc = join(repo, "node_modules/typescript/bin/tsc");

function exec(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd }, (err, stdout, stderr) => done({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr }));
  });
}

const expected = ["dial example:80 #1", "conn 2 to example"];

describe.each<Bundler>(["vite", "esbuild", "rolldown"])("cross-package attach, %s", (bundler) => {
  it("attaches through //trace:import and through import from trace:", async () => {
    const { file } = await build(bundler, typed, { entry: "src/main.ts", options: { dts: "tracing-env.d.ts" } });
    expect(await runJson(file)).toEqual(expected);
  });
});

describe("declaration file", () => {
  it("lets a strict project pass tsc --noEmit and catches wrong types", async () => {
    const gen = await exec(process.execPath, [cli, "gen"], typed);
    expect(gen).toMatchObject({ code: 0, stderr: "" });
    const ok = await exec(process.execPath, [tsc, "-p", "tsconfig.json"], typed);
    expect(ok.stdout + ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const bad = await exec(process.execPath, [tsc, "-p", "tsconfig.bad.json"], typed);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain("bad/wrong-types.ts(2,11): error TS2345: Argument of type 'number' is not assignable to parameter of type 'Addr'");
    expect(bad.stdout).toContain("bad/wrong-types.ts(3,28): error TS2345");
  });

  it("is the same whether the plugin or tstrace gen writes it, and deterministic", async () => {
    const out = join(typed, "tracing-env.d.ts");
    await build("esbuild", typed, { entry: "src/main.ts", options: { dts: "tracing-env.d.ts" } });
    const fromPlugin = readFileSync(out, "utf8");
    rmSync(out);
    await exec(process.execPath, [cli, "gen"], typed);
    expect(readFileSync(out, "utf8")).toBe(fromPlugin);
    expect(fromPlugin).toContain('declare module "trace:src/net" {');
    expect(fromPlugin).toContain('probe: (addr: import("./src/net/addr.ts").Addr, attempt: number) => unknown');
    expect(fromPlugin).not.toMatch(/^(import|export) /m); // a script, so `declare module` is ambient
  });

  it("qualifies typeof of an exported const, and reports a name it cannot qualify once", async () => {
    // Inside the repository (out/ is ignored), so tsc finds unplugin-tracing/runtime.
    mkdirSync(join(repo, "tests/cross/out"), { recursive: true });
    const dir = mkdtempSync(join(repo, "tests/cross/out/typeof-"));
    mkdirSync(join(dir, "src/cfg"), { recursive: true });
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "nodenext", types: [] }, include: ["src", "tracing-env.d.ts"] }));
    writeFileSync(
      join(dir, "src/cfg/cfg.ts"),
      "//trace:event traceCfg(c: typeof defaults, n: typeof limit)\nexport const defaults = { retries: 3 }, limit = 5;\nexport function load() { traceCfg(defaults, limit); }\n",
    );
    const gen = await exec(process.execPath, [cli, "gen"], dir);
    expect(gen).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(dir, "tracing-env.d.ts"), "utf8")).toContain(
      'declare function traceCfg(c: typeof import("./src/cfg/cfg.ts").defaults, n: typeof import("./src/cfg/cfg.ts").limit): void | Promise<void>;',
    );
    const ok = await exec(process.execPath, [tsc, "-p", "tsconfig.json"], dir);
    expect(ok.stdout + ok.stderr).toBe("");

    writeFileSync(join(dir, "src/cfg/cfg.ts"), "//trace:event traceCfg(c: typeof hidden)\nconst hidden = { retries: 3 };\nexport function load() { traceCfg(hidden); }\n");
    const bad = await exec(process.execPath, [cli, "gen"], dir);
    expect(bad).toMatchObject({
      code: 1,
      stderr: "src/cfg/cfg.ts:1:1: event traceCfg: parameter c: type hidden is declared in src/cfg/cfg.ts but not exported; export it so the declaration file can name it\n",
    });
  });
});

describe("tstrace", () => {
  it("lists package:event lines, sorted", async () => {
    const r = await exec(process.execPath, [cli, "list", "src/net", "src/app"], typed);
    expect(r).toEqual({ code: 0, stderr: "", stdout: "src/net:traceConnected\nsrc/net:traceDial\n" });
    const all = await exec(process.execPath, [cli, "list", "./..."], typed);
    expect(all.stdout).toBe("src/net:traceConnected\nsrc/net:traceDial\n");
  });

  it("reports directive errors as file:line:column with status 1, usage errors with 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tstrace-"));
    mkdirSync(join(dir, "p"));
    writeFileSync(join(dir, "p/a.ts"), "export {};\n//trace:event traceA(x: number)\n//trace:evnt traceB()\n");
    const r = await exec(process.execPath, [cli, "list", "p"], dir);
    expect(r).toEqual({ code: 1, stdout: "p:traceA\n", stderr: "p/a.ts:3:1: unknown directive //trace:evnt (want //trace:event or //trace:import)\n" });
    const usage = await exec(process.execPath, [cli, "frobnicate"], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^tstrace: unknown command frobnicate/);
    const option = await exec(process.execPath, [cli, "list", "p", "--root"], dir);
    expect(option).toEqual({ code: 2, stdout: "", stderr: "tstrace: list: unknown option --root (list takes directories and specs, or --pid PID) (tstrace help shows the usage)\n" });
    const help = await exec(process.execPath, [cli, "help"], dir);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain("tstrace list <dir|spec>...");
  });
});

describe("errors of cross-package imports", () => {
  function project(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "trace-x-"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }
  const hello = "//trace:event traceHello(who: string)\nexport function hi(w: string) { traceHello(w); }\n";

  it.each<Bundler>(["vite", "esbuild", "rolldown"])("names an attach function the package lacks, %s", async (bundler) => {
    const dir = project({
      "src/hello/hello.ts": hello,
      "main.ts": 'import { hi } from "./src/hello/hello.ts";\nimport {\n  hello_traceNope_Attach } from "trace:src/hello";\nhi("x");\n',
    });
    await expect(build(bundler, dir, { entry: "main.ts" })).rejects.toThrow(
      "main.ts:3:3: import \"trace:src/hello\": package src/hello has no hello_traceNope_Attach (it has hello_traceHello_Attach)",
    );
  });

  it.each<Bundler>(["vite", "esbuild", "rolldown"])("says what to export when a parameter type cannot be named, %s", async (bundler) => {
    const dir = project({
      "src/net/net.ts": "interface Secret { k: number }\n//trace:event traceSecret(s: Secret)\nexport function f() { traceSecret({ k: 1 }); }\n",
      "main.ts": 'import { f } from "./src/net/net.ts";\nf();\n',
    });
    await expect(build(bundler, dir, { entry: "main.ts", options: { dts: "tracing-env.d.ts" } })).rejects.toThrow(
      "src/net/net.ts:2:1: event traceSecret: parameter s: type Secret is declared in src/net/net.ts but not exported; export it so the declaration file can name it",
    );
  });
});
