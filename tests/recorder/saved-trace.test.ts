// The UI opens saved recordings through src/dev/ui/saved-trace.ts: what the
// recorder writes must come back as the events it recorded.
import { describe, expect, it } from "vitest";
import { Recorder, task } from "../../runtime/recorder.ts";
import { toTraceFile } from "../../runtime/trace-events.ts";
import { parseSavedTrace, type SavedTrace } from "../../src/dev/ui/saved-trace.ts";
import { manualTracepoint } from "../helpers/manual-tracepoint.ts";

function parse(value: unknown, file = "t.json"): SavedTrace {
  const r = parseSavedTrace(typeof value === "string" ? value : JSON.stringify(value), file, "saved:1");
  if ("error" in r) throw new Error(r.error);
  return r.trace;
}
const errorOf = (text: string) => {
  const r = parseSavedTrace(text, "bad.json", "saved:1");
  return "error" in r ? r.error : null;
};

describe("parseSavedTrace", () => {
  it("gives back the recorder's events, spans split into their begin and end again", async () => {
    // A parameter named `event` must survive the slice (regression: it was overwritten).
    const start = manualTracepoint("saved/net", "traceConnStart", ["id", "event"]);
    const end = manualTracepoint("saved/net", "traceConnEnd", ["id", "bytes"]);
    const hello = manualTracepoint("saved/app", "traceHello", ["who"]);
    const rec = new Recorder({
      patterns: ["saved/*:*"],
      spans: [{ begin: "saved/net:traceConnStart", end: "saved/net:traceConnEnd", name: "conn", key: (args) => args[0] }],
    }).start();
    hello.signal({ name: "JP", tags: ["a"] });
    await task("conn", async () => {
      start.signal(1, "a:1");
      await new Promise((r) => setTimeout(r, 2));
      end.signal(1, 100);
    });
    end.signal(99, 0); // no begin: stays an instant
    rec.stop();
    const file = rec.toTraceEvents();
    expect(file.traceEvents.some((e) => e.ph === "X")).toBe(true);

    const t = parse(file, "run.json");
    const want = rec.events().map((e) => ({ package: e.package, name: e.name, args: e.args, task: { id: e.task.id, name: e.task.name } }));
    expect(t.events.map(({ time, ...rest }) => rest)).toEqual(want);
    rec.events().forEach((e, i) => expect(t.events[i]!.time).toBeCloseTo(e.time, 5));
    expect(t.skipped).toBe(0);
    expect(t.page).toMatchObject({ id: "saved:1", url: "run.json", title: "unplugin-tracing", timeOrigin: 0, received: 4, patterns: [] });
    expect(t.tracepoints.map((tp) => [tp.package, tp.signature])).toEqual([
      ["saved/app", "traceHello(who)"],
      ["saved/net", "traceConnEnd(id, bytes)"],
      ["saved/net", "traceConnStart(id, event)"],
    ]);
  });

  it("reads the page's time origin, drops and failures from otherData", () => {
    const f = toTraceFile([{ time: 5, package: "p", name: "traceX", args: {}, task: { id: 1, name: "main" } }], { processName: "http://x/", dropped: 3, failures: 1, timeOrigin: 1.7e12 });
    expect(parse(f).page).toMatchObject({ title: "http://x/", timeOrigin: 1.7e12, dropped: 3, failures: 1 });
  });

  it("takes other producers' files: a bare array, legacy instants, plain slices, unnamed threads; skips counters", () => {
    const t = parse([
      { ph: "X", name: "layout", cat: "blink", ts: 2000, dur: 500, pid: 1, tid: 7, args: { n: 1 } },
      { ph: "I", name: "mark", ts: 1000, pid: 1, tid: 1 },
      { ph: "C", name: "heap", ts: 1500, pid: 1, tid: 1, args: { v: 3 } },
    ]);
    expect(t.events).toEqual([
      { time: 1, package: "(none)", name: "mark", args: {}, task: { id: 1, name: "main" } },
      { time: 2, package: "blink", name: "layout", args: { n: 1, duration_ms: 0.5 }, task: { id: 7, name: "task 7" } },
    ]);
    expect(t.skipped).toBe(1);
  });

  it("says what is wrong with a file that is not a trace", () => {
    expect(errorOf("{ nope")).toMatch(/^bad\.json: not JSON \(/);
    expect(errorOf('{"events": []}')).toBe('bad.json: not a trace file: want { "traceEvents": [ … ] }');
    expect(errorOf('{"traceEvents": [{"ph": "i", "name": "x", "ts": "soon"}]}')).toBe("bad.json: traceEvents[0]: ts is not a number");
    expect(errorOf('{"traceEvents": [{"ph": "M", "name": "process_name", "args": {"name": "p"}}, 3]}')).toBe('bad.json: traceEvents[1] is not an entry: want an object with "ph"');
    expect(errorOf('{"traceEvents": [{"ph": "X", "name": "x", "ts": 1}]}')).toBe("bad.json: traceEvents[0]: a complete slice needs dur ≥ 0");
    expect(errorOf('{"traceEvents": []}')).toBe("bad.json: no events in it (0 entries, none an instant or a slice)");
  });
});
