// Synchronous tracing for tests of concurrent async code, after Go's tracetest:
// the entry `unplugin-tracing/tracetest`.
//
// Probes hand events to `T.rxEvent`, which routes each to a named stream and
// returns a promise the probe returns: the producer's `await traceX()` stays paused
// until the checker, in `T.expect`, has compared the event and acknowledged it. So
// each stream is checked in order, every producer is held at a known point while it
// is checked, and `verify` reruns the test with one event delayed at a time to shake
// out orders that only held by luck.
//
// Plain promises and timers only, so it runs in browsers too.

export { run, verify } from "./tracetest-run.ts";
export { T } from "./tracetest-t.ts";
export type { EventRouter, Received, TracetestOptions } from "./tracetest-types.ts";
