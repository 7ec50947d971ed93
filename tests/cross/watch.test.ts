// Watch mode (issue 2, item 3): a directive added in one module is seen by its
// sibling after a rebuild, with no restart.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watch, type RollupWatcher } from "rollup";
import { afterAll, expect, it } from "vitest";
import tracing from "../../dist/src/rollup.js";

let watcher: RollupWatcher | undefined;
afterAll(() => watcher?.close());

it("rebuilds a sibling when a directive appears in another module of its package", async () => {
  const dir = mkdtempSync(join(tmpdir(), "trace-watch-"));
  mkdirSync(join(dir, "p"));
  const decl = (extra: string) => `//trace:event traceA(x: number)\n${extra}export const declared = true;\n`;
  writeFileSync(join(dir, "p/decl.js"), decl(""));
  writeFileSync(
    join(dir, "p/use.js"),
    [
      'import { setup } from "unplugin-tracing/runtime";',
      "export function run() {",
      "  const seen = [];",
      '  const b = typeof traceB === "function";',
      "  if (b) setup(() => traceB_Attach(null, (s) => seen.push(s)));",
      '  if (b) traceB("hi");',
      "  return { b, seen };",
      "}",
    ].join("\n"),
  );
  writeFileSync(join(dir, "main.js"), 'import "./p/decl.js";\nimport { run } from "./p/use.js";\nconsole.log(JSON.stringify(run()));\n');

  let builds = 0;
  const built = () =>
    new Promise<void>((done, fail) => {
      const target = builds + 1;
      const onEvent = (e: any) => {
        if (e.code === "ERROR") fail(e.error);
        if (e.code === "BUNDLE_END") e.result.close();
        if (e.code === "END" && ++builds >= target) {
          watcher!.off("event", onEvent);
          done();
        }
      };
      watcher!.on("event", onEvent);
    });
  watcher = watch({
    input: join(dir, "main.js"),
    plugins: [tracing({ root: dir, dts: false })],
    output: { file: join(dir, "out/main.mjs"), format: "es" },
    watch: { buildDelay: 50, exclude: [join(dir, "out/**")] },
  });
  const runOut = () => JSON.parse(execFileSync(process.execPath, [join(dir, "out/main.mjs")], { encoding: "utf8" }));

  await built();
  expect(runOut()).toEqual({ b: false, seen: [] });
  const next = built();
  writeFileSync(join(dir, "p/decl.js"), decl("//trace:event traceB(s: string)\n"));
  await next;
  expect(runOut()).toEqual({ b: true, seen: ["hi"] });
});
