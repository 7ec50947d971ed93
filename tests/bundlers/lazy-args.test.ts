// Trace calls evaluate no argument while no probe is attached. Fixture: tests/fixtures/lazy-args.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "lazy-args")).file));

describe("lazy arguments: a counter in a trace-call argument stays 0 with no probe", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.idle).toBe(0);
    // Attached: each of the 3 calls evaluates its arguments, in order, once.
    expect(out.attached).toBe(5);
    expect(out.seen).toEqual([[1, "label 2"], [3, "4"], [5, "arrow"]]);
    expect(out.detached).toBe(5);
  });
});
