//trace:event traceMany(i: number)
// Many probes on one tracepoint, for the pg.done() case of bench/src/detach.ts.
import type { ProbeGroup } from "unplugin-tracing/runtime";

/** Attaches `fns` to traceMany in `pg`; call under the lock. */
export function attachAll(pg: ProbeGroup, fns: Array<(i: number) => void>): void {
  for (const f of fns) traceMany_Attach(pg, f);
}
