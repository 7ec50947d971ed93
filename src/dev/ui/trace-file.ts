// What *Download trace* writes: the shown events (and those waiting while paused) as
// a Chrome Trace Event file, with the spans defined in the UI as slices, so Perfetto
// UI and DevTools show the same slices as the timeline.

import { toTraceFile, type RecordedEvent, type TraceFile } from "../../../runtime/trace-events.ts";
import type { WireEvent } from "../../../runtime/live/protocol.ts";
import { pairSpans, type SpanDef } from "./spans.ts";
import type { Row } from "./store.ts";

export function traceFileOf(rows: readonly Row[], waiting: readonly WireEvent[], spans: readonly SpanDef[], info: { processName: string; dropped: number; failures: number; timeOrigin?: number }): TraceFile {
  const recorded = new Map<Row, RecordedEvent>();
  const events: RecordedEvent[] = [];
  for (const r of rows) {
    const e: RecordedEvent = { time: r.time, package: r.package, name: r.name, args: r.args, task: r.task };
    recorded.set(r, e);
    events.push(e);
  }
  for (const w of waiting) events.push({ time: w.time, package: w.package, name: w.name, args: w.args, task: w.task });
  for (const list of pairSpans(rows, spans).slices) {
    for (const s of list) {
      const end = recorded.get(s.end)!;
      // An event that closes two spans becomes one slice: the first defined.
      if (end.span === undefined) end.span = { name: s.name, begin: recorded.get(s.begin)! };
    }
  }
  return toTraceFile(events, info);
}
