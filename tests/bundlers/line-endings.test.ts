// Text the parser sees differently from a plain LF file: a byte-order mark before a
// first-line directive, CR-only and mixed line endings, a directive on the last line
// with no newline after it. No directive is lost and no position moves: stack frames
// through the source map name the trace call's line and column as an editor shows
// them (issue 10). Fixture: tests/fixtures/line-endings.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, bundlers, fixturesDir, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "line-endings")).file));

/** The stack frame line that names `file` (absolute), as `line:column`. */
function frameAt(stack: string, file: string): string | null {
  for (const line of stack.split("\n")) {
    const i = line.indexOf(`${file}:`);
    if (i >= 0) return /^(\d+:\d+)/.exec(line.slice(i + file.length + 1))![1]!;
  }
  return null;
}

const callSites: Record<string, [file: string, at: string]> = {
  bom: ["bom/bom.js", "3:3"],
  cr: ["cr/cr.js", "4:5"],
  mixed: ["mixed/mixed.js", "5:7"],
  eof: ["eof/eof.js", "2:2"],
};

describe("issue 10: BOM, CR-only and mixed line endings, a directive at the end without newline", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { stacks } = await output(bundler);
    const frames = Object.fromEntries(Object.entries(callSites).map(([name, [file]]) => [name, frameAt(stacks[name] ?? "", join(fixturesDir, "line-endings", file))]));
    expect(frames).toEqual(Object.fromEntries(Object.entries(callSites).map(([name, [, at]]) => [name, at])));
  });
});
