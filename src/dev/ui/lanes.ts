// The timeline's rows: one group per task (as the recorder draws one track per task),
// or per value of an argument the user names (a browser has one task, but a worker
// number or a connection id tells the same story), in it one lane per span definition
// that has slices and one lane per event (`package:event`), in the order they first
// fired. No cap: the timeline scrolls.

import { pairSpans, stack, type Slice, type SpanDef } from "./spans.ts";
import type { Row } from "./store.ts";

export interface EventLane {
  kind: "events";
  label: string;
  /** The lane's events, ascending time; halves of drawn slices are not repeated here. */
  rows: Row[];
}

export interface SpanLane {
  kind: "spans";
  label: string;
  /** Sorted by start. */
  slices: Slice[];
  depth: number;
}

export type Lane = EventLane | SpanLane;

export interface Group {
  /** `main`, or `worker #3` for task 3; `worker=2` grouped by an argument. */
  label: string;
  /** Sort key: the task id, or the order the argument's value first appeared. */
  order: number;
  lanes: Lane[];
}

export interface Layout {
  groups: Group[];
  /** Time of the first and the last shown event (a slice's end included). */
  lo: number;
  hi: number;
  count: number;
}

export const taskLabel = (t: { id: number; name: string }) => (t.id === 1 ? t.name : `${t.name} #${t.id}`);

/** `by`: an argument name to group lanes by instead of the task; events without it go to `(no by)`. */
export function layout(rows: readonly Row[], defs: readonly SpanDef[], by = ""): Layout {
  const { slices, paired } = pairSpans(rows, defs);
  const groups = new Map<string | number, Group & { byKey: Map<string, Lane> }>();
  // By task the key is the task id: no string per row on the common path.
  const groupOf = (r: Row) => {
    const known = by !== "" && by in r.args;
    const key = by === "" ? r.task.id : known ? `a${JSON.stringify(r.args[by])}` : "none";
    let g = groups.get(key);
    if (g === undefined) {
      const label = by === "" ? taskLabel(r.task) : known ? `${by}=${JSON.stringify(r.args[by])}` : `(no ${by})`;
      const order = by === "" ? r.task.id : known ? groups.size : Number.MAX_SAFE_INTEGER;
      groups.set(key, (g = { label, order, lanes: [], byKey: new Map() }));
    }
    return g;
  };
  // Span lanes first in each group, then events.
  slices.forEach((list) => {
    for (const s of list) {
      const g = groupOf(s.begin);
      let lane = g.byKey.get(`\0${s.name}`) as SpanLane | undefined;
      if (lane === undefined) {
        lane = { kind: "spans", label: s.name, slices: [], depth: 0 };
        g.byKey.set(`\0${s.name}`, lane);
        g.lanes.push(lane);
      }
      lane.slices.push(s);
    }
  });
  let lo = Infinity;
  let hi = -Infinity;
  const check = paired.size > 0;
  let g: ReturnType<typeof groupOf> | null = null;
  let lane: EventLane | undefined;
  for (const r of rows) {
    if (r.time < lo) lo = r.time;
    if (r.time > hi) hi = r.time;
    if (check && paired.has(r)) continue;
    // Runs of one event on one task are the common case: reuse the last lane.
    if (lane === undefined || lane.label !== r.key || by !== "" || g!.order !== r.task.id) {
      g = groupOf(r);
      lane = g.byKey.get(r.key) as EventLane | undefined;
      if (lane === undefined) {
        lane = { kind: "events", label: r.key, rows: [] };
        g.byKey.set(r.key, lane);
        g.lanes.push(lane);
      }
    }
    lane.rows.push(r);
  }
  for (const g of groups.values()) {
    g.lanes.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "spans" ? -1 : 1));
    for (const l of g.lanes) {
      if (l.kind === "events") sortByTime(l.rows);
      else {
        stack(l.slices);
        for (const s of l.slices) if (s.depth + 1 > l.depth) l.depth = s.depth + 1;
      }
    }
  }
  const list = [...groups.values()].sort((a, b) => a.order - b.order).map(({ byKey: _, ...g }) => g);
  return { groups: list, lo: rows.length ? lo : 0, hi: rows.length ? hi : 1, count: rows.length };
}

/** Sorts rows by time unless they are in order already (they nearly always are). */
function sortByTime(rows: Row[]): void {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.time < rows[i - 1]!.time) {
      rows.sort((a, b) => a.time - b.time);
      return;
    }
  }
}
