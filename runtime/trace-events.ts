// Recorded events -> Chrome Trace Event Format, which Perfetto UI and chrome://tracing
// load. One process, one thread per task; instants for events, complete slices for
// spans. Ids are numbers: Perfetto reads string ids as hex.

import type { Json } from "./serialize.ts";
import type { Task } from "./tasks.ts";

/** One event as the recorder keeps it. */
export interface RecordedEvent {
  /** `performance.now()` when the event was signalled, in milliseconds. */
  readonly time: number;
  readonly package: string;
  readonly name: string;
  /** Arguments by parameter name, serialised when the event fired. */
  readonly args: { readonly [key: string]: Json };
  readonly task: Task;
  /** Set on the end event of a span: the span's name and its begin event. */
  span?: { readonly name: string; readonly begin: RecordedEvent };
}

/** One entry of `traceEvents`. */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: "i" | "X" | "M";
  s?: "t";
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { [key: string]: Json };
}

/** The JSON object a trace file holds. */
export interface TraceFile {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms";
  otherData: {
    producer: "unplugin-tracing";
    dropped: number;
    failures: number;
    /** The page's `performance.timeOrigin`, when known: `ts` plus it is wall time. The UI reads it back to show clock times. */
    timeOrigin?: number;
  };
}

const PID = 1;

/** Converts events (oldest first) into a trace file. */
export function toTraceFile(events: readonly RecordedEvent[], info: { processName: string; dropped: number; failures: number; timeOrigin?: number }): TraceFile {
  const out: TraceEvent[] = [{ name: "process_name", ph: "M", ts: 0, pid: PID, tid: 0, args: { name: info.processName } }];
  const tasks = new Map<number, Task>();
  const present = new Set(events);
  // A span becomes one slice only if its begin is still in the buffer; otherwise
  // both halves stay instants, so nothing recorded is lost.
  const closed = new Set<RecordedEvent>();
  for (const e of events) if (e.span !== undefined && present.has(e.span.begin)) closed.add(e.span.begin);

  const body: TraceEvent[] = [];
  for (const e of events) {
    if (closed.has(e)) continue;
    tasks.set(e.task.id, e.task);
    const b = e.span?.begin;
    if (b !== undefined && closed.has(b)) {
      tasks.set(b.task.id, b.task);
      body.push({
        name: e.span!.name,
        cat: b.package,
        ph: "X",
        ts: micros(b.time),
        dur: micros(e.time - b.time),
        pid: PID,
        tid: b.task.id,
        // Each half keeps its arguments apart, so an argument named `event` survives.
        args: { begin: { event: b.name, args: b.args }, end: { event: e.name, args: e.args } },
      });
    } else {
      body.push({ name: e.name, cat: e.package, ph: "i", s: "t", ts: micros(e.time), pid: PID, tid: e.task.id, args: { ...e.args } });
    }
  }
  for (const t of [...tasks.values()].sort((a, b) => a.id - b.id)) {
    out.push({ name: "thread_name", ph: "M", ts: 0, pid: PID, tid: t.id, args: { name: t.name } });
    out.push({ name: "thread_sort_index", ph: "M", ts: 0, pid: PID, tid: t.id, args: { sort_index: t.id } });
  }
  body.sort((x, y) => x.ts - y.ts);
  for (const e of body) out.push(e);
  const otherData: TraceFile["otherData"] = { producer: "unplugin-tracing", dropped: info.dropped, failures: info.failures };
  if (info.timeOrigin !== undefined) otherData.timeOrigin = info.timeOrigin;
  return { traceEvents: out, displayTimeUnit: "ms", otherData };
}

/** Milliseconds to microseconds, rounded to nanoseconds to keep the JSON short. */
function micros(ms: number): number {
  return Math.round(ms * 1e6) / 1e3;
}
