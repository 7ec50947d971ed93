// A trace call's rewrite means the same in code written without semicolons, in every
// context where a leading `(` could join the line above (issue 10).
// Fixture: tests/fixtures/no-semicolons.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "no-semicolons")).file));

const results = {
  statementAfterString: "JP",
  statementAfterCall: "number",
  callThenSequence: 2,
  inIfBody: ["no", "else"],
  arrowAndReturn: [null, "function"],
  fields: ["A", null, "undefined|t"],
  nextLineStartsWithBracket: [2, 1],
  generator: [null, 7],
  conditional: "done",
  awaitAfterString: "JP",
};

describe("issue 10: trace calls in code without semicolons run as written, idle and with a probe", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.idle).toEqual(results);
    expect(out.active).toEqual(results);
    expect(out.seen).toEqual(["A", 1, "JP", 5, 1, 1, 1, [2, 1], 1, true, "JP"]);
  });
});
