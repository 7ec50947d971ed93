// Attach and detach from inside a firing probe. Fixture: tests/fixtures/firing.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "firing")).file));

describe("attach/detach inside a firing probe neither skips nor repeats another probe", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.detachEarlier).toEqual([["P1", "P2", "P3"], ["P2", "P3"]]);
    // A detach takes effect at the inner setup's unlock, so P2 no longer runs in
    // this firing; a probe attached meanwhile waits for the next firing.
    expect(out.detachLaterAttachNew).toEqual([["P1", "P3"], ["P1", "P3", "P4"]]);
    expect(out.detachSelf).toEqual([["P1", "P2", "P3"], ["P1", "P3"]]);
  });
});
