// The generated `fire`: one probe called straight, more through the list; what
// the caller gets back; and what a probe that throws leaves behind.
import { ProbeGroup, setup, tracepoints } from "unplugin-tracing/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { none, one, two } from "./events.ts";

const pgs: ProbeGroup[] = [];
function group(): ProbeGroup {
  const pg = new ProbeGroup();
  pgs.push(pg);
  return pg;
}
afterEach(() => {
  for (const pg of pgs.splice(0)) pg.done();
});

/** Unhandled rejections seen until two macrotasks from now. */
async function unhandledDuring(fn: () => void): Promise<unknown[]> {
  const seen: unknown[] = [];
  const on = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", on);
  try {
    fn();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
  } finally {
    process.off("unhandledRejection", on);
  }
  return seen;
}

describe("generated fire", () => {
  it("calls one probe, then several in attach order, with the arguments", () => {
    const seen: string[] = [];
    const pg = group();
    setup(() => traceTwo_Attach(pg, (a, b) => seen.push(`1:${a}${b}`)));
    expect(two(1, "a")).toBeUndefined();
    setup(() => traceTwo_Attach(pg, (a, b) => seen.push(`2:${a}${b}`)));
    expect(two(2, "b")).toBeUndefined();
    none();
    expect(seen).toEqual(["1:1a", "1:2b", "2:2b"]);
  });

  it("calls twelve probes once each, and skips those a probe detaches during the firing", () => {
    const pg = group();
    const seen: number[] = [];
    const probes = setup(() =>
      Array.from({ length: 12 }, (_, k) =>
        traceTwo_Attach(pg, () => {
          seen.push(k);
          if (k === 2) setup(() => (probes[5]!.detach(), probes[11]!.detach()));
        }),
      ),
    );
    two(1, "x");
    expect(seen).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10]);
    seen.length = 0;
    two(2, "y");
    expect(seen).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10]);
  });

  it("returns a promise when the only probe returns one, settled with it", async () => {
    const pg = group();
    let release!: () => void;
    setup(() => traceOne_Attach(pg, () => new Promise<void>((r) => (release = r))));
    const p = one(1);
    expect(p).toBeInstanceOf(Promise);
    let done = false;
    void p!.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    release();
    await p;
    expect(done).toBe(true);
  });

  it("with several probes returning promises, returns one promise: settled after all, rejected with the first rejection", async () => {
    const pg = group();
    const releases: Array<() => void> = [];
    setup(() => {
      traceOne_Attach(pg, () => new Promise<void>((r) => releases.push(r)));
      traceOne_Attach(pg, () => undefined);
      traceOne_Attach(pg, () => new Promise<void>((r) => releases.push(r)));
    });
    const p = one(1);
    expect(p).toBeInstanceOf(Promise);
    let done = false;
    void p!.then(() => (done = true));
    releases[0]!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(done).toBe(false);
    releases[1]!();
    await expect(p).resolves.toBeUndefined();
    expect(done).toBe(true);

    setup(() => traceOne_Attach(pg, () => Promise.reject(new Error("fourth probe's rejection"))));
    const q = one(2);
    for (const r of releases.slice(2)) r();
    await expect(q).rejects.toThrow("fourth probe's rejection");
  });

  it("a probe detaching the other of two during a firing: the other is not called, then one probe is called straight", () => {
    const pg = group();
    const seen: string[] = [];
    const [, second] = setup(() => [
      traceTwo_Attach(pg, () => {
        seen.push("first");
        setup(() => second!.detach());
      }),
      traceTwo_Attach(pg, () => seen.push("second")),
    ]);
    two(1, "a");
    two(2, "b");
    expect(seen).toEqual(["first", "first"]);
  });

  it("a probe that throws after another returned a rejecting promise: the caller gets the throw, nothing leaks unhandled (issue 13)", async () => {
    const pg = group();
    setup(() => {
      traceOne_Attach(pg, () => Promise.reject(new Error("first probe's rejection")));
      traceOne_Attach(pg, () => {
        throw new Error("second probe throws");
      });
    });
    let thrown: unknown;
    const leaked = await unhandledDuring(() => {
      try {
        one(1);
      } catch (e) {
        thrown = e;
      }
    });
    expect((thrown as Error).message).toBe("second probe throws");
    expect(leaked).toEqual([]);
  });

  it("detaches a large group at once and keeps the other probes in order", () => {
    const pg = group();
    const keep = group();
    const seen: number[] = [];
    setup(() => {
      traceOne_Attach(keep, () => seen.push(1));
      for (let i = 0; i < 20_000; i++) traceOne_Attach(pg, () => {});
      traceOne_Attach(keep, () => seen.push(2));
    });
    const tp = tracepoints().find((t) => t.package === "tests/fire" && t.name === "traceOne")!;
    expect(tp.probeCount).toBe(20_002);
    pg.done();
    expect(tp.probeCount).toBe(2);
    one(0);
    expect(seen).toEqual([1, 2]);
  });
});
