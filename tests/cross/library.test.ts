// A library built with the plugin and installed into an app (issue 3): its dist/
// holds no directives, yet the app attaches through `trace:` and //trace:import,
// and an attach built against an older signature is refused with both signatures.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { build, runJson, type Bundler } from "../helpers/build.ts";

const fixtures = fileURLToPath(new URL("fixtures/", import.meta.url));
let app: string;

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), "trace-lib-"));
  const lib = join(work, "net-lib");
  cpSync(join(fixtures, "netlib"), lib, { recursive: true });
  const built = await build("esbuild", lib, { entry: "src/index.ts", outDir: "dist", options: { library: { name: "net-lib" } } });
  app = join(work, "app");
  cpSync(join(fixtures, "netapp"), app, { recursive: true });
  const installed = join(app, "node_modules/net-lib");
  mkdirSync(join(installed, "dist"), { recursive: true });
  cpSync(join(lib, "package.json"), join(installed, "package.json"));
  cpSync(join(lib, "tracing.json"), join(installed, "tracing.json"));
  cpSync(built.file, join(installed, "dist/index.js"));
});

describe("the manifest", () => {
  it("lists the library's packages and events under its npm name", () => {
    const manifest = JSON.parse(readFileSync(join(app, "node_modules/net-lib/tracing.json"), "utf8"));
    expect(manifest.name).toBe("net-lib");
    expect(manifest.packages.map((p: { id: string; events: { name: string }[] }) => [p.id, p.events.map((e) => e.name)])).toEqual([
      ["net-lib", ["traceClose", "traceConnect"]],
      ["net-lib/wire", ["traceFrame"]],
    ]);
    expect(readFileSync(join(app, "node_modules/net-lib/dist/index.js"), "utf8")).not.toContain("//trace:");
  });
});

describe.each<Bundler>(["vite", "esbuild", "rolldown"])("an app using the installed library, %s", (bundler) => {
  it("attaches through //trace:import and through trace: imports", async () => {
    const { file } = await build(bundler, app, { entry: "src/main.ts", outDir: `ok-${bundler}` });
    expect(await runJson(file)).toEqual(["connect example:80", "frame 13"]);
  });
});

describe("out-of-date attach code", () => {
  it("is refused with the event, both signatures and what to do", async () => {
    const stale = mkdtempSync(join(tmpdir(), "trace-stale-"));
    cpSync(app, stale, { recursive: true });
    // The app is built against a manifest that says traceConnect(host: string), while
    // the installed dist/ declares traceConnect(host: string, port: number).
    const manifestPath = join(stale, "node_modules/net-lib/tracing.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.packages[0].events.find((e: { name: string }) => e.name === "traceConnect").params.pop();
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const { file } = await build("esbuild", stale, { entry: "src/main.ts" });
    expect(await runJson(file)).toEqual([
      "error: traceConnect_Attach: net-lib:traceConnect changed since the code that attaches was built: it was built against traceConnect(host: string), the tracepoint is now traceConnect(host: string, port: number); rebuild the code that attaches",
    ]);
  });
});

describe("tstrace list", () => {
  it("lists an installed library's events from its manifest", () => {
    const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
    const out = execFileSync(process.execPath, [cli, "list", "net-lib", "net-lib/wire"], { cwd: app, encoding: "utf8" });
    expect(out).toBe("net-lib/wire:traceFrame\nnet-lib:traceClose\nnet-lib:traceConnect\n");
  });
});

describe("types", () => {
  it("declares the library's trace: modules and the imported attach functions", async () => {
    await build("esbuild", app, { entry: "src/main.ts", outDir: "dts", options: { dts: "tracing-env.d.ts" } });
    const dts = readFileSync(join(app, "tracing-env.d.ts"), "utf8");
    expect(dts).toContain('declare module "trace:net-lib/wire" {\n  export function wire_traceFrame_Attach(pg: import("unplugin-tracing/runtime").ProbeGroup | null, probe: (bytes: number) => unknown)');
    expect(dts).toContain("declare function net_lib_traceConnect_Attach(pg: import(\"unplugin-tracing/runtime\").ProbeGroup | null, probe: (host: string, port: number) => unknown)");
  });
});
