// The wire form of a batch of events, agent -> CLI. A binding call's cost in the
// target is its length (V8 escapes the string into a protocol message on the
// main thread), so a batch names each tracepoint and task once and sends each
// event as a short array: [µs since t0, tracepoint index, task index, ...argument
// values in parameter order]. An event of one number argument is about 15 bytes.

import type { Json } from "../serialize.ts";
import type { WireEvent } from "../live/protocol.ts";
import type { RecordedEvent } from "../trace-events.ts";

export interface EncodedBatch {
  s: string;
  /** sequence number in the session, from 1 */
  n: number;
  /** dropped, failures so far */
  d: number;
  f: number;
  t0: number;
  /** [package, name, argument names] */
  tp: [string, string, string[]][];
  /** [task id, task name] */
  tk: [number, string][];
  e: Json[][];
}

export function encodeBatch(session: string, seq: number, events: readonly RecordedEvent[], dropped: number, failures: number): string {
  const t0 = events.length > 0 ? events[0]!.time : 0;
  const tps = new Map<string, number>();
  const tasks = new Map<number, number>();
  const out: EncodedBatch = { s: session, n: seq, d: dropped, f: failures, t0, tp: [], tk: [], e: [] };
  for (const ev of events) {
    const keys = Object.keys(ev.args);
    const key = `${ev.package}:${ev.name}:${keys.join(",")}`;
    let tp = tps.get(key);
    if (tp === undefined) {
      tp = out.tp.length;
      tps.set(key, tp);
      out.tp.push([ev.package, ev.name, keys]);
    }
    let tk = tasks.get(ev.task.id);
    if (tk === undefined) {
      tk = out.tk.length;
      tasks.set(ev.task.id, tk);
      out.tk.push([ev.task.id, ev.task.name]);
    }
    const row: Json[] = [Math.round((ev.time - t0) * 1000), tp, tk];
    for (const k of keys) row.push(ev.args[k]!);
    out.e.push(row);
  }
  return JSON.stringify(out);
}

/** The batch, checked for shape, or null when the text is not one. */
export function parseBatch(text: string): EncodedBatch | null {
  let b: EncodedBatch;
  try {
    b = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof b !== "object" || b === null || !Array.isArray(b.e) || !Array.isArray(b.tp) || !Array.isArray(b.tk)) return null;
  if (!b.tp.every((t) => Array.isArray(t) && typeof t[0] === "string" && typeof t[1] === "string" && Array.isArray(t[2]))) return null;
  if (!b.tk.every((t) => Array.isArray(t) && typeof t[1] === "string")) return null;
  b.e = b.e.filter((row) => Array.isArray(row) && typeof row[0] === "number" && b.tp[row[1] as number] !== undefined && b.tk[row[2] as number] !== undefined);
  return b;
}

/** One event of a parsed batch. */
export function eventAt(b: EncodedBatch, row: Json[]): WireEvent {
  const tp = b.tp[row[1] as number]!;
  const tk = b.tk[row[2] as number]!;
  const args: { [key: string]: Json } = {};
  tp[2].forEach((name, i) => (args[name] = row[3 + i] ?? null));
  return { time: b.t0 + (row[0] as number) / 1000, package: tp[0], name: tp[1], args, task: { id: tk[0], name: tk[1] } };
}
