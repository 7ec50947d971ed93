// Non-ASCII text before directives and trace calls: offsets are UTF-16 units, so
// the rewrite lands in place and the source map stays exact. Fixture: tests/fixtures/utf16.
// (The column of a directive error after non-ASCII text is checked in directive-errors.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, bundlers, fixturesDir, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "utf16")).file));
const source = join(fixturesDir, "utf16/text/text.js");
const callLine = readFileSync(source, "utf8").split("\n")[5]!;

describe("non-ASCII text before directives and trace calls", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    // traceÜmlaut: an event name is any JS identifier.
    expect(out.seen).toEqual(["😀😀 ü", "ü", "😀😀 x"]);
    expect(out.tracepoints).toEqual(["traceText text/text.js:3:1", "traceÜmlaut text/text.js:4:1"]);
    // JS string indices are UTF-16 units, as stack columns are.
    expect(out.stack).toContain(`${source}:6:${callLine.indexOf("traceText(") + 1}`);
  });
});
