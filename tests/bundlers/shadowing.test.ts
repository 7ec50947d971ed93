// A local binding named like an event is left alone. Fixture: tests/fixtures/shadowing.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "shadowing")).file));

describe("shadowing: a local function, parameter, let or catch binding named traceHello is not the event", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.results).toEqual([
      "local function f",
      "argument p",
      "let l",
      "catch c",
      "undefined",
      "local attach",
    ]);
    expect(out.seen).toEqual(["after block"]);
  });
});
