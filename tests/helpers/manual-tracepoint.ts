// A tracepoint made by hand, for runtime tests that need no bundler. The plugin
// generates the same shape per event, with fixed arity instead of rest arrays.
import { Tracepoint, attachChecked, defineTracepoint, type ParamInfo, type PatternProbeFn, type ProbeGroup } from "../../runtime/tracing.ts";

export function manualTracepoint(pkg: string, name: string, params: string[] = []) {
  const infos: ParamInfo[] = params.map((p) => ({ name: p, type: "unknown" }));
  class Manual extends Tracepoint {
    fire(...args: unknown[]): void | Promise<void> {
      const ps = this.p!;
      let pending: PromiseLike<unknown>[] | null = null;
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        if (!p.on) continue;
        const r = p.fn(...args) as any;
        if (r != null && typeof r.then === "function") (pending ??= []).push(r);
      }
      return pending === null ? undefined : this.settle(pending);
    }
    wrap(fn: PatternProbeFn) {
      return (...args: unknown[]) => fn(this, args);
    }
  }
  const tp = defineTracepoint(new Manual(pkg, name, infos, "h", `${pkg}/x.ts:1:1`));
  return {
    tp,
    /** what a generated call site does: the idle check, then fire */
    signal: (...args: unknown[]) => (tp.p !== null ? tp.fire(...args) : undefined),
    attach: (pg: ProbeGroup | null, fn: (...args: any[]) => unknown) => attachChecked(pg, tp, fn, "h", name),
  };
}
