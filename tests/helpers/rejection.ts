// With node:assert rather than Vitest's expect, so the tracetest scenarios run
// under node:test as well.
import assert from "node:assert/strict";

/** Awaits a promise that must reject with an Error, and returns that error. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error, `rejected with a non-Error: ${String(e)}`);
    return e;
  }
  assert.fail("expected the test to fail, but it passed");
}
