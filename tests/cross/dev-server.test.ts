// Editing directives under a running Vite dev server (issues 2 and 3): the package's
// virtual module, its importers and the declaration file follow without a restart,
// and probes attached before the edit stay attached.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, createServerModuleRunner, type ViteDevServer } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import tracing from "../../src/vite.ts";
import { attach, attachProbe, setup, tracepoints } from "../../runtime/tracing.ts";

let dir: string;
let server: ViteDevServer;
let runner: ReturnType<typeof createServerModuleRunner>;

const mainText = 'export { hi } from "./hello/hello.ts";\nexport { more } from "./hello/more.ts";\nimport.meta.hot?.accept();\n';
const hello = (version: string, directive: string, call: string, extra = "") =>
  `${directive}\n${extra}export function hi(w: string): string {\n  ${call};\n  return "${version}";\n}\n`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trace-dev-"));
  mkdirSync(join(dir, "hello"));
  writeFileSync(join(dir, "hello/hello.ts"), hello("v1", "//trace:event traceHello(who: string)", "traceHello(w)"));
  writeFileSync(join(dir, "hello/more.ts"), "export function more(): string {\n  return typeof traceExtra === 'undefined' ? 'none' : 'extra';\n}\n");
  writeFileSync(join(dir, "main.ts"), mainText);
  server = await createServer({ root: dir, configFile: false, logLevel: "silent", appType: "custom", server: { middlewareMode: true, ws: false }, plugins: [tracing()] });
  runner = createServerModuleRunner(server.environments.ssr, { hmr: { logger: false } });
});

afterAll(async () => {
  await runner?.close();
  await server?.close();
});

let lastEdit: { path: string; text: string } | null = null;
/** Writes a file the dev server watches; `until` writes it again if the watcher missed it. */
function edit(path: string, text: string): void {
  writeFileSync(path, text);
  lastEdit = { path, text };
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (ok(v)) return v;
    // A watcher still starting up under load can miss a change: make another.
    if (i % 20 === 19 && lastEdit) writeFileSync(lastEdit.path, lastEdit.text + " ".repeat(Math.ceil(i / 20)));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting for the dev server to apply the edit");
}

it("keeps probes attached while directives are edited", async () => {
  const main = async () => (await runner.import(join(dir, "main.ts"))) as { hi(w: string): string; more(): string };
  expect((await main()).hi("a")).toBe("v1");

  const seen: unknown[][] = [];
  const tp = tracepoints().find((t) => t.package === "hello" && t.name === "traceHello")!;
  expect(tp.signature).toBe("traceHello(who: string)");
  setup(() => attachProbe(null, tp, (...args: unknown[]) => seen.push(args)));
  (await main()).hi("b");
  expect(seen).toEqual([["b"]]);

  // Change the signature: a new tracepoint replaces the old one and takes its probe.
  edit(join(dir, "hello/hello.ts"), hello("v2", "//trace:event traceHello(who: string, n: number)", "traceHello(w, 2)"));
  const m2 = await until(main, (m) => m.hi("probe") === "v2");
  seen.length = 0;
  m2.hi("c");
  expect(seen).toEqual([["c", 2]]);
  expect(tracepoints().find((t) => t.name === "traceHello")!.signature).toBe("traceHello(who: string, n: number)");

  // A new event declared in one module is seen by its sibling.
  edit(join(dir, "hello/hello.ts"), hello("v3", "//trace:event traceHello(who: string, n: number)", "traceHello(w, 3)", "//trace:event traceExtra()\n"));
  const m3 = await until(main, (m) => m.hi("probe") === "v3" && m.more() === "extra");
  seen.length = 0;
  m3.hi("d");
  expect(seen).toEqual([["d", 3]]);

  // A module new to the package declares an event: the package's module follows.
  const got: unknown[] = [];
  setup(() => attach("hello:traceNew", (_tp, args) => got.push(args)));
  edit(join(dir, "hello/extra.ts"), "//trace:event traceNew(n: number)\nexport function extra(): string {\n  traceNew(7);\n  return 'new';\n}\n");
  edit(join(dir, "main.ts"), `${mainText}export { extra } from "./hello/extra.ts";\n`);
  const m4 = await until(main, (m) => typeof (m as { extra?: unknown }).extra === "function");
  expect((m4 as unknown as { extra(): string }).extra()).toBe("new");
  expect(got).toEqual([[7]]);

  // The declaration file follows.
  await until(async () => readFileSync(join(dir, "tracing-env.d.ts"), "utf8"), (t) => t.includes("declare function traceExtra(): void | Promise<void>;"));
  expect(readFileSync(join(dir, "tracing-env.d.ts"), "utf8")).toContain("declare function traceHello(who: string, n: number): void | Promise<void>;");
});
