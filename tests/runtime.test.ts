import { describe, expect, it } from "vitest";
import { ProbeGroup, TracingError, attach, lock, setup, tracepoints, unlock } from "../runtime/tracing.ts";
import { manualTracepoint } from "./helpers/manual-tracepoint.ts";

describe("runtime", () => {
  it("runs probes in attach order, and not after detach", () => {
    const ev = manualTracepoint("rt/order", "traceA", ["x"]);
    const seen: string[] = [];
    const [p1, p2] = setup(() => [ev.attach(null, (x) => seen.push(`1:${x}`)), ev.attach(null, (x) => seen.push(`2:${x}`))]);
    ev.signal("a");
    setup(() => p1!.detach());
    ev.signal("b");
    setup(() => p1!.detach());
    expect(seen).toEqual(["1:a", "2:a", "2:b"]);
    expect(p2!.next()).toBe(null);
  });

  it("enforces the lock discipline", () => {
    const ev = manualTracepoint("rt/lock", "traceB");
    expect(() => ev.attach(null, () => {})).toThrow(TracingError);
    lock();
    expect(() => lock()).toThrow(/already held/);
    const pg = new ProbeGroup();
    ev.attach(pg, () => {});
    expect(() => pg.done()).toThrow(/must not be called under the lock/);
    unlock();
    expect(() => unlock()).toThrow(/not held/);
    pg.done();
    expect(ev.tp.probeCount).toBe(0);
  });

  it("applies changes at unlock, all at once", () => {
    const ev = manualTracepoint("rt/atonce", "traceC");
    let n = 0;
    lock();
    ev.attach(null, () => n++);
    ev.signal();
    expect(n).toBe(0);
    unlock();
    ev.signal();
    expect(n).toBe(1);
  });

  it("attaches by pattern, also to tracepoints defined later", () => {
    const seen: string[] = [];
    const pg = new ProbeGroup();
    setup(() => attach("rt/pat:*", (tp, args) => seen.push(`${tp.name}${JSON.stringify(args)}`), pg));
    const a = manualTracepoint("rt/pat", "traceD", ["x"]);
    a.signal(1);
    expect(seen).toEqual(["traceD[1]"]);
    expect(tracepoints().some((t) => t.package === "rt/pat" && t.name === "traceD")).toBe(true);
    pg.done();
    a.signal(2);
    expect(seen).toEqual(["traceD[1]"]);
  });

  it("attaches once to a tracepoint that several patterns match", () => {
    const seen: string[] = [];
    const a = manualTracepoint("rt/multi", "traceE", ["x"]);
    const b = manualTracepoint("rt/multi", "traceF", ["x"]);
    const pp = setup(() => attach(["rt/multi:*", "*:traceE"], (tp, args) => seen.push(`${tp.name}${JSON.stringify(args)}`)));
    a.signal(1);
    b.signal(2);
    expect(seen).toEqual(["traceE[1]", "traceF[2]"]);
    expect(pp.pattern).toEqual(["rt/multi:*", "*:traceE"]);
    setup(() => pp.detach());
    a.signal(3);
    expect(seen).toHaveLength(2);
  });
});
