// Probes attached with traceX_Attach: order, arguments, groups, thenables, exceptions.
// Fixture: tests/fixtures/probes (JavaScript, so every bundler reads it as is).
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "probes")).file));

describe("probes run in attach order, with the event's arguments", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.order).toEqual(["pre a", "1 a 1", '2 ["a",1]', "3 a"]);
    // With only synchronous probes the call returns undefined.
    expect(out.returned).toBe("undefined");
    expect(out.next).toEqual([true, true]);
  });
});

describe("ProbeGroup.done detaches its probes and no other; detach is idempotent", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.afterDone).toEqual(["3 b"]);
    expect(out.afterDetach).toEqual([]);
  });
});

describe("a probe's thenable makes the call return a Promise that settles after it", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.thenable).toEqual([true, 0]);
    expect(out.settled).toEqual(["slow d"]);
    expect(out.rejected).toBe("rejected by probe");
  });
});

describe("a probe's exception reaches the caller", () => {
  it.each(bundlers)("%s", async (bundler) => {
    expect((await output(bundler)).thrown).toBe("probe failed on f");
  });
});
