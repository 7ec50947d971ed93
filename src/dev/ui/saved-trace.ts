// A saved recording as the UI opens it: a Chrome Trace Event file, as the recorder
// and the UI's "Download trace" write it (runtime/trace-events.ts), turned into what
// a live page would have sent: its page info, tracepoints and events. No DOM here.
//
// Instants (`ph: "i"`, `"I"`) become one event each. A complete slice (`"X"`) that
// our writer made from a span carries `args.begin` and `args.end`, each the event's
// name under `event` and its arguments under `args`: it becomes those two events again, at `ts`
// and `ts + dur`. Any other slice becomes one event at `ts` with its duration as an
// argument. Metadata names the tasks; every other kind is counted and skipped. The
// begin/end pairs found come back as span definitions, so the timeline draws slices.

import type { Json } from "../../../runtime/serialize.ts";
import type { PageInfo, WireEvent, WireTracepoint } from "../../../runtime/live/protocol.ts";
import { sameSpan, type SpanDef } from "./spans.ts";

export interface SavedTrace {
  /** A pseudo-page named after the file; `timeOrigin` is 0 when the file does not say it. */
  page: PageInfo;
  /** Each `package:event` of the file once, with the argument names it was seen with. */
  tracepoints: WireTracepoint[];
  /** Oldest first. */
  events: WireEvent[];
  /** Entries of kinds the table does not show (counters, flows, async slices…). */
  skipped: number;
  /** The begin/end pairs its slices were made of, so the timeline draws them as slices again. */
  spans: SpanDef[];
}

export type ParsedTrace = { trace: SavedTrace } | { error: string };

type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Parses the text of `file` into a recording shown as page `id`; a file that is not a trace yields a message saying why. */
export function parseSavedTrace(text: string, file: string, id: string): ParsedTrace {
  const fail = (why: string): ParsedTrace => ({ error: `${file}: ${why}` });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  // The format also allows a bare array of entries.
  const list = Array.isArray(data) ? data : isObj(data) && Array.isArray(data.traceEvents) ? data.traceEvents : null;
  if (list === null) return fail('not a trace file: want { "traceEvents": [ … ] }');

  const threads = new Map<string, string>();
  let processName = "";
  let skipped = 0;
  const timed: Array<{ e: Obj; thread: string }> = [];
  for (let i = 0; i < list.length; i++) {
    const e: unknown = list[i];
    const at = `traceEvents[${i}]`;
    if (!isObj(e) || typeof e.ph !== "string") return fail(`${at} is not an entry: want an object with "ph"`);
    if (e.pid !== undefined && !isNum(e.pid)) return fail(`${at}: pid is not a number`);
    if (e.tid !== undefined && !isNum(e.tid)) return fail(`${at}: tid is not a number`);
    const thread = `${e.pid ?? 0}:${e.tid ?? 0}`;
    if (e.ph === "M") {
      const name = isObj(e.args) && typeof e.args.name === "string" ? e.args.name : null;
      if (name !== null && e.name === "thread_name") threads.set(thread, name);
      if (name !== null && e.name === "process_name" && processName === "") processName = name;
      continue;
    }
    if (e.ph !== "i" && e.ph !== "I" && e.ph !== "X") {
      skipped++;
      continue;
    }
    if (typeof e.name !== "string") return fail(`${at}: name is not a string`);
    if (!isNum(e.ts)) return fail(`${at}: ts is not a number`);
    if (e.cat !== undefined && typeof e.cat !== "string") return fail(`${at}: cat is not a string`);
    if (e.args !== undefined && !isObj(e.args)) return fail(`${at}: args is not an object`);
    if (e.ph === "X" && !(isNum(e.dur) && e.dur >= 0)) return fail(`${at}: a complete slice needs dur ≥ 0`);
    timed.push({ e, thread });
  }
  if (timed.length === 0) return fail(`no events in it (${list.length} entries, none an instant or a slice)`);

  const tasks = new Map<string, { id: number; name: string }>();
  const taskOf = (thread: string, tid: number) => {
    let t = tasks.get(thread);
    if (t === undefined) tasks.set(thread, (t = { id: tid, name: threads.get(thread) ?? (tid === 1 ? "main" : `task ${tid}`) }));
    return t;
  };
  const events: WireEvent[] = [];
  const spans: SpanDef[] = [];
  for (const { e, thread } of timed) {
    const base = { package: typeof e.cat === "string" && e.cat !== "" ? e.cat : "(none)", task: taskOf(thread, isNum(e.tid) ? e.tid : 0) };
    const time = (e.ts as number) / 1000;
    const args = isObj(e.args) ? e.args : {};
    if (e.ph !== "X") {
      events.push({ ...base, time, name: e.name as string, args });
      continue;
    }
    const dur = (e.dur as number) / 1000;
    const begin = halfOf(args.begin);
    const end = halfOf(args.end);
    if (begin !== null && end !== null) {
      events.push({ ...base, time, ...begin }, { ...base, time: time + dur, ...end });
      const d = { begin: `${base.package}:${begin.name}`, end: `${base.package}:${end.name}`, ...(e.name !== `${begin.name} → ${end.name}` ? { name: e.name as string } : {}) };
      if (!spans.some((x) => sameSpan(x, d))) spans.push(d);
    } else {
      events.push({ ...base, time, name: e.name as string, args: { ...args, duration_ms: dur } });
    }
  }
  events.sort((a, b) => a.time - b.time);

  const otherData = isObj(data) && isObj(data.otherData) ? data.otherData : {};
  const timeOrigin = isNum(otherData.timeOrigin) && otherData.timeOrigin > 0 ? otherData.timeOrigin : 0;
  const page: PageInfo = {
    id,
    url: file,
    title: processName,
    timeOrigin,
    connectedAt: Date.now(),
    patterns: [],
    stacks: false,
    dropped: isNum(otherData.dropped) ? otherData.dropped : 0,
    failures: isNum(otherData.failures) ? otherData.failures : 0,
    received: events.length,
  };
  return { trace: { page, tracepoints: tracepointsOf(events, file), events, skipped, spans } };
}

/** One half of a slice our writer made: `{ event: name, args }`. */
function halfOf(v: Json | undefined): { name: string; args: Obj } | null {
  if (!isObj(v) || typeof v.event !== "string") return null;
  return { name: v.event, args: isObj(v.args) ? v.args : {} };
}

function tracepointsOf(events: readonly WireEvent[], file: string): WireTracepoint[] {
  const byKey = new Map<string, WireTracepoint>();
  for (const e of events) {
    const key = `${e.package}\0${e.name}`;
    if (byKey.has(key)) continue;
    byKey.set(key, { package: e.package, name: e.name, signature: `${e.name}(${Object.keys(e.args).join(", ")})`, location: file, probeCount: 0 });
  }
  return [...byKey.values()].sort((a, b) => (a.package === b.package ? (a.name < b.name ? -1 : 1) : a.package < b.package ? -1 : 1));
}
