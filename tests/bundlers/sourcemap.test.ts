// A stack trace thrown from inside a probe points at the user's lines through the
// source map (`node --enable-source-maps`). Fixtures: tests/fixtures/sourcemap (JS,
// every bundler) and tests/fixtures/typescript (TS, for the bundlers that read it).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, bundlers, fixturesDir, perBundler, runJson, tsBundlers, type Bundler } from "../helpers/build.ts";

const jsOutput = perBundler(async (bundler) => runJson((await build(bundler, "sourcemap")).file));
const tsOutput = perBundler(async (bundler) => runJson((await build(bundler, "typescript", { entry: "main.ts" })).file));

/** The stack frame line that names `file` (absolute), as `line:column`. */
function frameAt(stack: string, file: string): string | null {
  for (const line of stack.split("\n")) {
    const i = line.indexOf(`${file}:`);
    if (i >= 0) return /^(\d+:\d+)/.exec(line.slice(i + file.length + 1))![1]!;
  }
  return null;
}

function checkStack(bundler: Bundler, stack: string, dir: string, callSite: [string, string], throwSite: [string, string]): void {
  // The trace call, rewritten by the plugin, maps back to its exact line and column.
  expect(frameAt(stack, join(fixturesDir, dir, callSite[0]))).toBe(callSite[1]);
  const thrown = frameAt(stack, join(fixturesDir, dir, throwSite[0]));
  if (bundler === "webpack" || bundler === "rspack") {
    // The probe's module has no tracepoints, so the plugin leaves it alone and the
    // bundler maps it by itself: webpack and Rspack keep lines, not columns, there.
    expect(thrown?.split(":")[0]).toBe(throwSite[1].split(":")[0]);
  } else {
    expect(thrown).toBe(throwSite[1]);
  }
}

describe("a stack trace from inside a probe points at the user's lines (JavaScript)", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { stack } = await jsOutput(bundler);
    expect(stack).toMatch(/^Error: probe saw hello a\n/);
    checkStack(bundler, stack, "sourcemap", ["hello/hello.js", "5:3"], ["main.js", "5:9"]);
  });
});

describe("TypeScript: probes work and the stack points at the .ts lines", () => {
  it.each(tsBundlers)("%s", async (bundler) => {
    const { log, stack } = await tsOutput(bundler);
    expect(log).toEqual(["1 ab 2", "2 ab"]);
    checkStack(bundler, stack, "typescript", ["hello/hello.ts", "10:3"], ["main.ts", "15:9"]);
  });
});
