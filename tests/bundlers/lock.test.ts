// The lock discipline, and changes taking effect at unlock, all at once.
// Fixture: tests/fixtures/lock.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "lock")).file));

const tracingError = (message: RegExp) => ({ name: "TracingError", isTracingError: true, message: expect.stringMatching(message) });

describe("lock errors: attach outside the lock, lock twice, done under the lock", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.attachOutside).toEqual(tracingError(/^traceHello_Attach: must be called under the tracing lock/));
    expect(out.addOutside).toEqual(tracingError(/^ProbeGroup\.add: must be called under the tracing lock/));
    expect(out.detachOutside).toEqual(tracingError(/^Probe\.detach: must be called under the tracing lock/));
    expect(out.lockTwice).toEqual(tracingError(/already held/));
    expect(out.unlockTwice).toEqual(tracingError(/not held/));
    expect(out.doneUnderLock).toEqual(tracingError(/^ProbeGroup\.done: must not be called under the lock/));
    // setup releases the lock when fn throws, and passes the error on.
    expect(out.setupThrows).toEqual({ name: "Error", isTracingError: false, message: "inside setup" });
    expect(out.lockedAfterThrow).toBe(null);
  });
});

describe("changes take effect at unlock, all at once", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.underLock).toEqual([]);
    expect(out.afterUnlock).toEqual(["A unlocked"]);
    expect(out.between).toEqual(["A between"]);
    expect(out.swapped).toEqual(["B after"]);
    expect(out.afterDone).toEqual([]);
  });
});
