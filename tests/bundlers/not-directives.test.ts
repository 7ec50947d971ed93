// `//trace:` text in strings, template literals, block comments, regular expressions
// and indented comments is not a directive. Fixture: tests/fixtures/not-directives.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "not-directives")).file));

describe("text that looks like a directive is not one", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.tracepoints).toEqual(["pkg:traceReal"]);
    expect(out.seen).toEqual([1]);
    // The strings are left as written.
    expect(out.strings).toEqual([
      "//trace:event traceInString(n: number)",
      "//trace:evnt traceInStringBroken(",
      "\n//trace:event traceInTemplate(n: number)\n//trace:evnt traceInTemplateBroken(\n",
    ]);
  });
});
