import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Recorder, task, type TraceEvent, type TraceFile } from "../../runtime/recorder.ts";
import { ProbeGroup, setup } from "../../runtime/tracing.ts";
import { manualTracepoint } from "../helpers/manual-tracepoint.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const instants = (f: TraceFile) => f.traceEvents.filter((e) => e.ph === "i");
const threadNames = (f: TraceFile) =>
  new Map(f.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [e.tid, e.args!.name]));

/** What Perfetto and chrome://tracing require of every entry. */
function checkStructure(f: TraceFile): void {
  expect(Array.isArray(f.traceEvents)).toBe(true);
  expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  for (const e of f.traceEvents) {
    expect(typeof e.name).toBe("string");
    expect(["i", "X", "M"]).toContain(e.ph);
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    if (e.ph === "i") expect(e.s).toBe("t");
    if (e.ph === "X") expect(e.dur).toBeGreaterThanOrEqual(0);
  }
  const timed = f.traceEvents.filter((e) => e.ph !== "M").map((e) => e.ts);
  expect(timed).toEqual([...timed].sort((a, b) => a - b));
  // every track that has events is named
  const named = threadNames(f);
  for (const e of f.traceEvents) if (e.ph !== "M") expect(named.has(e.tid)).toBe(true);
}

describe("Recorder", () => {
  it("records package, event, named arguments and time in microseconds", () => {
    const ev = manualTracepoint("rec/basic", "traceHello", ["who", "n"]);
    const before = performance.now();
    const rec = new Recorder({ patterns: "rec/basic:*" }).start();
    expect(ev.signal("alice", 1)).toBeUndefined();
    ev.signal("bob");
    rec.stop();
    ev.signal("not recorded");
    const after = performance.now();

    const f = rec.toTraceEvents();
    checkStructure(f);
    const es = instants(f);
    expect(es.map((e) => [e.cat, e.name, e.args])).toEqual([
      ["rec/basic", "traceHello", { who: "alice", n: 1 }],
      ["rec/basic", "traceHello", { who: "bob" }],
    ]);
    for (const e of es) {
      expect(e.ts).toBeGreaterThanOrEqual(before * 1000);
      expect(e.ts).toBeLessThanOrEqual(after * 1000);
      expect(e.tid).toBe(1);
    }
    expect(threadNames(f).get(1)).toBe("main");
    expect(f.traceEvents.find((e) => e.name === "process_name")?.args).toEqual({ name: "unplugin-tracing" });
    expect(f.otherData).toEqual({ producer: "unplugin-tracing", dropped: 0, failures: 0 });
    expect(ev.tp.probeCount).toBe(0);
  });

  it("puts concurrent async tasks on their own tracks", async () => {
    const step = manualTracepoint("rec/tasks", "traceStep", ["worker", "i"]);
    const rec = new Recorder({ patterns: "rec/tasks:*" }).start();
    async function worker(name: string, delay: number) {
      for (let i = 0; i < 3; i++) {
        step.signal(name, i);
        await sleep(delay);
      }
    }
    step.signal("main", 0);
    await Promise.all([task("worker a", () => worker("a", 3)), task("worker b", () => worker("b", 5)), rec.task("worker c", () => worker("c", 1))]);
    rec.stop();

    const f = rec.toTraceEvents();
    checkStructure(f);
    const names = threadNames(f);
    const byTrack = new Map<string, string[]>();
    for (const e of instants(f)) {
      const track = names.get(e.tid) as string;
      byTrack.set(track, [...(byTrack.get(track) ?? []), `${e.args!.worker}${e.args!.i}`]);
    }
    expect(Object.fromEntries(byTrack)).toEqual({
      main: ["main0"],
      "worker a": ["a0", "a1", "a2"],
      "worker b": ["b0", "b1", "b2"],
      "worker c": ["c0", "c1", "c2"],
    });
    // three distinct numeric task ids besides main, and the events really interleaved
    expect(new Set(instants(f).map((e) => e.tid)).size).toBe(4);
    const order = instants(f).map((e) => e.args!.worker);
    expect(order.join("")).not.toMatch(/^main(aaa)/);
  });

  it("names the task at the event with taskOf, when the arguments know better than the async context (issue 13)", async () => {
    const job = manualTracepoint("rec/taskof", "traceJob", ["client", "id"]);
    const rec = new Recorder({ patterns: "rec/taskof:*", taskOf: (ev, args) => (ev.name === "traceJob" && args[0] !== "" ? `client ${String(args[0])}` : undefined) }).start();
    // one worker loop, started in client a's task, runs every client's jobs
    const queue: Array<[string, number]> = [];
    let wake: (() => void) | null = null;
    const worker = task("client a", async () => {
      for (let done = 0; done < 3; ) {
        const next = queue.shift();
        if (next === undefined) {
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        job.signal(...next);
        done++;
      }
    });
    for (const [c, id] of [["a", 1], ["c", 2], ["", 3]] as const) {
      await task(`client ${c}`, async () => {
        queue.push([c, id]);
        wake?.();
      });
    }
    await worker;
    rec.stop();
    const names = threadNames(rec.toTraceEvents());
    expect(instants(rec.toTraceEvents()).map((e) => `${e.args!.id}@${names.get(e.tid)}`)).toEqual(["1@client a", "2@client c", "3@client a"]);
    // without taskOf, AsyncLocalStorage puts client c's job on the worker's track
    expect(rec.events()[2]!.task.name).toBe("client a");
  });

  it("records arguments alike whether they reach it one by one (events of up to four) or as an array", () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const [t0, t1, t4, t5, t6] = [0, 1, 4, 5, 6].map((k) => manualTracepoint("rec/arity", `traceArity${k}`, names.slice(0, k)));
    const rec = new Recorder({ patterns: "rec/arity:*" }).start();
    for (const t of [t0, t1, t4, t5, t6]) t!.signal(...t!.tp.params.map((_, i) => i + 1));
    // a hand-written tracepoint may pass fewer or more than it declares
    t4!.signal({ x: 1 }, "s");
    t1!.signal(1, 2, 3);
    t1!.signal(1, 2, 3, 4, 5);
    rec.stop();
    expect(rec.events().map((e) => e.args)).toEqual([
      {},
      { a: 1 },
      { a: 1, b: 2, c: 3, d: 4 },
      { a: 1, b: 2, c: 3, d: 4, e: 5 },
      { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 },
      { a: { x: 1 }, b: "s" },
      { a: 1, arg1: 2, arg2: 3 },
      { a: 1, arg1: 2, arg2: 3, arg3: 4, arg4: 5 },
    ]);
  });

  it("snapshots object arguments at fire time and keeps primitive ones exactly", () => {
    const ev = manualTracepoint("rec/snap", "traceSnap", ["o", "s", "n"]);
    const rec = new Recorder({ patterns: "rec/snap:*", serialize: { maxString: 5 } }).start();
    const o = { n: 1 };
    ev.signal(o, "abcdefgh", 1n);
    o.n = 2;
    ev.signal(null, "abc", undefined);
    rec.stop();
    expect(rec.events().map((e) => e.args)).toEqual([
      { o: { n: 1 }, s: "abcde…(+3)", n: "1n" },
      { o: null, s: "abc", n: "[undefined]" },
    ]);
  });

  it("snapshots flat object arguments at fire time without calling getters or losing keys", () => {
    const ev = manualTracepoint("rec/flat", "traceFlat", ["o", "n"]);
    const rec = new Recorder({ patterns: "rec/flat:*", serialize: { maxString: 9 } }).start();
    let called = 0;
    const o = { b: 1, a: "x" };
    ev.signal(o, 2);
    o.b = 9;
    ev.signal({ v: 1, get g() { return ++called; } });
    ev.signal(JSON.parse('{"__proto__": 1, "x": 2}'));
    const bare = Object.create(null);
    bare.k = true;
    ev.signal(bare, { s: "abcdefghijk" });
    ev.signal(new Proxy({}, { ownKeys() { throw new Error("trap"); } }));
    ev.signal({ a: 1, b: 2, c: 3, d: 4, e: 5 }, { a: 1, b: 2, c: 3, d: 4 });
    ev.signal({ a: 1, b: 2, c: 3, d: 4 }, { a: 1, b: 2 });
    ev.signal({ deep: { n: 1 } }, () => 1);
    rec.stop();
    const args = rec.events().map((e) => e.args);
    expect(args).toEqual([
      { o: { b: 1, a: "x" }, n: 2 },
      { o: { v: 1, g: "[Getter]" } },
      { o: { ["__proto__"]: 1, x: 2 } },
      { o: { k: true }, n: { s: "abcdefghi…(+2)" } },
      { o: "[Unserializable]" },
      { o: { a: 1, b: 2, c: 3, d: 4, e: 5 }, n: { a: 1, b: 2, c: 3, d: 4 } },
      { o: { a: 1, b: 2, c: 3, d: 4 }, n: { a: 1, b: 2 } },
      { o: { deep: { n: 1 } }, n: "[Function (anonymous)]" },
    ]);
    expect(Object.keys(args[0]!.o as object)).toEqual(["b", "a"]);
    expect(Object.keys(args[2]!.o as object)).toEqual(["__proto__", "x"]);
    expect(called).toBe(0);
    expect(rec.failures).toBe(0);
  });

  it("keeps an event's arguments in its own slots: an object and three more do not spill into the next event", () => {
    const ev = manualTracepoint("rec/slots", "traceSlots", ["o", "x", "y", "z"]);
    const rec = new Recorder({ patterns: "rec/slots:*", bufferSize: 2 }).start();
    ev.signal({ a: 1, b: 2, c: 3, d: 4 }, 5, 6, 7);
    ev.signal(8, 9, 10, 11);
    ev.signal({ a: 1 }, { b: 2 }, { c: 3 }, 4); // three key lists and values: 7 slots, more than an event has
    rec.stop();
    expect(rec.events().map((e) => e.args)).toEqual([
      { o: 8, x: 9, y: 10, z: 11 },
      { o: { a: 1 }, x: { b: 2 }, y: { c: 3 }, z: 4 },
    ]);
    const again = new Recorder({ patterns: "rec/slots:*" }).start();
    ev.signal({ a: 1, b: 2, c: 3, d: 4 }, 5, 6, 7);
    ev.signal(8, 9, 10, 11);
    again.stop();
    expect(again.events().map((e) => e.args)).toEqual([
      { o: { a: 1, b: 2, c: 3, d: 4 }, x: 5, y: 6, z: 7 },
      { o: 8, x: 9, y: 10, z: 11 },
    ]);
  });

  it("keeps each flat object's own keys in order while shapes change, and no inherited key", () => {
    const ev = manualTracepoint("rec/shapes", "traceShape", ["o"]);
    const rec = new Recorder({ patterns: "rec/shapes:*" }).start();
    for (const o of [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, c: 6 }, { b: 7, a: 8 }, { a: 9 }, {}, { 2: "x", 1: "y", z: 0 }, { a: 1, b: 2 }]) ev.signal(o);
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1; // enumerable, as a plain assignment makes it: for-in lists it
    try {
      ev.signal({ a: 1, b: 2 });
    } finally {
      delete proto.polluted;
    }
    ev.signal({ a: 1, b: 3 });
    rec.stop();
    const objects = rec.events().map((e) => e.args.o as object);
    expect(objects).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, c: 6 }, { b: 7, a: 8 }, { a: 9 }, {}, { 1: "y", 2: "x", z: 0 }, { a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1, b: 3 }]);
    expect(objects.map((o) => Object.keys(o).join())).toEqual(["a,b", "a,b", "a,c", "b,a", "a", "", "1,2,z", "a,b", "a,b", "a,b"]);
    expect(rec.failures).toBe(0);
  });

  it("keeps a bounded buffer of the newest events and counts the dropped ones", () => {
    const ev = manualTracepoint("rec/ring", "traceTick", ["i"]);
    const rec = new Recorder({ patterns: "rec/ring:traceTick", bufferSize: 3 }).start();
    for (let i = 0; i < 5; i++) ev.signal(i);
    rec.stop();
    expect(rec.dropped).toBe(2);
    expect(rec.events().map((e) => e.args.i)).toEqual([2, 3, 4]);
    const f = rec.toTraceEvents();
    expect(instants(f).map((e) => e.args!.i)).toEqual([2, 3, 4]);
    expect(f.otherData.dropped).toBe(2);
    rec.clear();
    expect(rec.events()).toEqual([]);
    expect(rec.dropped).toBe(0);
  });

  it("records an event once even when several patterns match it", () => {
    const ev = manualTracepoint("rec/dup", "traceConnOpen", []);
    const rec = new Recorder({ patterns: ["rec/dup:*", "*:traceConn*", "rec/**"] }).start();
    ev.signal();
    ev.signal();
    rec.stop();
    expect(rec.events()).toHaveLength(2);
  });

  it("records tracepoints that are defined after start", () => {
    const rec = new Recorder({ patterns: "rec/late:*" }).start();
    const ev = manualTracepoint("rec/late", "traceLate", ["x"]);
    ev.signal(42);
    rec.stop();
    expect(rec.events().map((e) => e.args)).toEqual([{ x: 42 }]);
  });

  it("turns begin/end pairs into complete slices, by key or by task", async () => {
    const start = manualTracepoint("rec/net", "traceConnStart", ["id", "addr"]);
    const end = manualTracepoint("rec/net", "traceConnEnd", ["id", "bytes"]);
    const enter = manualTracepoint("rec/net", "traceEnter", ["what"]);
    const leave = manualTracepoint("rec/net", "traceLeave", []);
    const rec = new Recorder({
      patterns: ["rec/net:traceConn*"], // traceEnter/traceLeave come in through `spans`
      spans: [
        { begin: "rec/net:traceConnStart", end: "rec/net:traceConnEnd", name: "conn", key: (args) => args[0] },
        { begin: "rec/net:traceEnter", end: "rec/net:traceLeave" },
      ],
    }).start();
    await Promise.all([
      task("c1", async () => {
        start.signal(1, "a:1");
        await sleep(5);
        end.signal(1, 100);
      }),
      task("c2", async () => {
        start.signal(2, "b:2");
        await sleep(1);
        end.signal(2, 7);
      }),
    ]);
    enter.signal("outer");
    enter.signal("inner");
    leave.signal();
    leave.signal();
    end.signal(99, 0); // an end without a begin stays an instant
    start.signal(3, "c:3"); // and so does a begin that never ends
    rec.stop();

    const f = rec.toTraceEvents();
    checkStructure(f);
    const names = threadNames(f);
    const slices = f.traceEvents.filter((e) => e.ph === "X");
    const conns = slices.filter((e) => e.name === "conn");
    expect(conns.map((e) => [names.get(e.tid), e.args])).toEqual(
      expect.arrayContaining([
        ["c1", { begin: { event: "traceConnStart", args: { id: 1, addr: "a:1" } }, end: { event: "traceConnEnd", args: { id: 1, bytes: 100 } } }],
        ["c2", { begin: { event: "traceConnStart", args: { id: 2, addr: "b:2" } }, end: { event: "traceConnEnd", args: { id: 2, bytes: 7 } } }],
      ]),
    );
    expect(conns).toHaveLength(2);
    const c1 = conns.find((e) => names.get(e.tid) === "c1")!;
    expect(c1.dur).toBeGreaterThanOrEqual(4000); // 5 ms sleep, in µs
    // without a key, an end closes the latest begin of its task: nested slices
    const nest = slices.filter((e) => e.name === "traceEnter → traceLeave");
    expect(nest.map((e) => (e.args!.begin as { args: { what: string } }).args.what).sort()).toEqual(["inner", "outer"]);
    const [outer, inner] = [nest.find((e) => (e.args!.begin as { args: { what: string } }).args.what === "outer")!, nest.find((e) => (e.args!.begin as { args: { what: string } }).args.what === "inner")!];
    expect(inner.ts).toBeGreaterThanOrEqual(outer.ts);
    expect(inner.ts + inner.dur!).toBeLessThanOrEqual(outer.ts + outer.dur!);
    // leftovers
    expect(instants(f).map((e) => [e.name, e.args])).toEqual([
      ["traceConnEnd", { id: 99, bytes: 0 }],
      ["traceConnStart", { id: 3, addr: "c:3" }],
    ]);
  });

  it("keeps both halves as instants when the begin was overwritten", () => {
    const b = manualTracepoint("rec/spanring", "traceB", []);
    const e = manualTracepoint("rec/spanring", "traceE", []);
    const tick = manualTracepoint("rec/spanring", "traceTick", []);
    const rec = new Recorder({ patterns: "rec/spanring:*", bufferSize: 2, spans: [{ begin: "rec/spanring:traceB", end: "rec/spanring:traceE" }] }).start();
    b.signal();
    tick.signal();
    e.signal();
    rec.stop();
    const f = rec.toTraceEvents();
    expect(f.traceEvents.filter((x) => x.ph !== "M").map((x: TraceEvent) => `${x.ph}:${x.name}`)).toEqual(["i:traceTick", "i:traceE"]);
  });

  it("never throws into the traced program and changes no result", async () => {
    const ev = manualTracepoint("rec/safe", "traceSafe", ["v"]);
    const seen: unknown[] = [];
    const pg = new ProbeGroup();
    setup(() => ev.attach(pg, (v) => seen.push(v)));
    const rec = new Recorder({
      patterns: "rec/safe:*",
      spans: [{ begin: "rec/safe:traceSafe", end: "rec/safe:traceSafe", key: () => { throw new Error("bad key"); } }],
    }).start();
    const hostile = new Proxy({}, { ownKeys() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });
    const r = ev.signal(hostile);
    expect(r).toBeUndefined(); // no promise: an `await traceX()` stays free
    rec.stop();
    pg.done();
    expect(seen.length === 1 && seen[0] === hostile).toBe(true);
    expect(rec.failures).toBe(2); // the key function, once per role
    expect(rec.events()[0]!.args.v).toBe("[Unserializable]");
  });

  it("is idempotent in start and stop, and survives restart", () => {
    const ev = manualTracepoint("rec/restart", "traceR", ["i"]);
    const rec = new Recorder({ patterns: "rec/restart:*" });
    rec.start().start();
    ev.signal(1);
    expect(ev.tp.probeCount).toBe(1);
    rec.stop().stop();
    ev.signal(2);
    rec.start();
    ev.signal(3);
    rec.stop();
    expect(rec.recording).toBe(false);
    expect(rec.events().map((e) => e.args.i)).toEqual([1, 3]);
  });

  it("rejects bad options at construction", () => {
    expect(() => new Recorder({ patterns: [] })).toThrow(/at least one pattern/);
    expect(() => new Recorder({ patterns: "x:*", bufferSize: 0 })).toThrow(/bufferSize/);
  });

  it("writes the trace to a file and to a Blob", async () => {
    const ev = manualTracepoint("rec/file", "traceFile", ["s"]);
    const rec = new Recorder({ patterns: "rec/file:*" }).start();
    ev.signal("ü");
    rec.stop();
    const path = join(mkdtempSync(join(tmpdir(), "rec-")), "trace.json");
    await rec.writeFile(path);
    const fromFile = JSON.parse(readFileSync(path, "utf8")) as TraceFile;
    expect(fromFile).toEqual(rec.toTraceEvents());
    const blob = rec.toBlob();
    expect(blob.type).toBe("application/json");
    expect(JSON.parse(await blob.text())).toEqual(fromFile);
  });
});
