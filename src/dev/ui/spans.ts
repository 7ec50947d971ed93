// Spans in the UI, as the recorder's `spans` option makes them: a begin event and an
// end event become one slice. The user names the two events (and, optionally, an
// argument both carry, such as a request id); without an argument an end closes the
// latest open begin of the same task, as the recorder pairs them. Pairing runs over
// the rows the filter shows, so a filter narrows the slices too.

import type { Row } from "./store.ts";

export interface SpanDef {
  /** `package:event` that opens the slice. */
  begin: string;
  /** `package:event` that closes it. */
  end: string;
  /** Argument whose value pairs a begin with its end; unset: by task, latest open first. */
  by?: string;
  /** The slices' name (a saved recording's); default `begin → end`. */
  name?: string;
}

export interface Slice {
  name: string;
  /** The argument that paired it, if any. */
  by: string | undefined;
  begin: Row;
  end: Row;
  /** Row of nesting in its lane, 0 on top (set by `stack`). */
  depth: number;
}

const eventOf = (key: string) => key.slice(key.lastIndexOf(":") + 1);

export function spanName(d: SpanDef): string {
  if (d.name) return d.name;
  return `${eventOf(d.begin)} → ${eventOf(d.end)}${d.by ? ` (by ${d.by})` : ""}`;
}

export const sameSpan = (a: SpanDef, b: SpanDef) => a.begin === b.begin && a.end === b.end && (a.by ?? "") === (b.by ?? "");

/** Why `d` cannot be a span, or null. */
export function checkSpan(d: SpanDef): string | null {
  if (!d.begin || !d.end) return "choose a begin and an end event";
  if (d.by !== undefined && !/^[\w$]+$/.test(d.by)) return `pair by an argument name, not ${JSON.stringify(d.by.slice(0, 40))}`;
  return null;
}

/**
 * Pairs `rows` (ascending time) into slices for each definition. Returns the slices
 * by definition (in `defs` order) and the set of rows that became half of one.
 */
export function pairSpans(rows: Iterable<Row>, defs: readonly SpanDef[]): { slices: Slice[][]; paired: Set<Row> } {
  const slices: Slice[][] = defs.map(() => []);
  const paired = new Set<Row>();
  if (defs.length === 0) return { slices, paired };
  const open = defs.map(() => new Map<unknown, Row[]>());
  // An argument pairs across tasks (a request answered elsewhere); without one, a task pairs within itself.
  const keyOf = (d: SpanDef, r: Row): unknown => (d.by === undefined ? r.task.id : d.by in r.args ? JSON.stringify(r.args[d.by]) : undefined);
  for (const r of rows) {
    defs.forEach((d, i) => {
      const k = keyOf(d, r);
      if (k === undefined) return;
      const m = open[i]!;
      if (r.key === d.end) {
        const b = m.get(k)?.pop();
        if (b !== undefined) {
          slices[i]!.push({ name: spanName(d), by: d.by, begin: b, end: r, depth: 0 });
          paired.add(b).add(r);
          if (m.get(k)!.length === 0) m.delete(k);
          return;
        }
      }
      if (r.key === d.begin) {
        const list = m.get(k);
        if (list === undefined) m.set(k, [r]);
        else list.push(r);
      }
    });
  }
  return { slices, paired };
}

/** Sorts slices drawn in one lane by start and gives each the first depth free there. */
export function stack(list: Slice[]): void {
  list.sort((a, b) => a.begin.time - b.begin.time);
  const ends: number[] = [];
  for (const s of list) {
    let d = ends.findIndex((e) => e <= s.begin.time);
    if (d < 0) d = ends.length;
    ends[d] = s.end.time;
    s.depth = d;
  }
}
