// A trace or attach function used only in a class decorator is still imported, and
// `declare const traceX` does not shadow the event (issue 10). Fixture: tests/fixtures/decorators (TypeScript, standard decorators).
import { describe, expect, it } from "vitest";
import { build, perBundler, runJson, tsBundlers } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "decorators", { entry: "main.ts" })).file));

describe("issue 10: a name used only in a decorator is imported; declare const does not shadow", () => {
  it.each(tsBundlers)("%s", async (bundler) => {
    expect(await output(bundler)).toEqual({ registered: "function", seen: ["m", "declared"] });
  });
});
