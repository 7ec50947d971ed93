// Cross-package attach with every bundler: `//trace:import h "hello"` and
// `import … from "trace:hello"` (webpack and Rspack need the `trace:` request renamed).
// Fixture: tests/fixtures/cross-package.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "cross-package")).file));

describe("cross-package attach through both import forms", () => {
  it.each(bundlers)("%s", async (bundler) => {
    expect(await output(bundler)).toEqual(["diag a", "main a"]);
  });
});
