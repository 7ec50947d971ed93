// The events of one page as the UI keeps them: a bounded list (the oldest fifth
// goes when it is full) and the indices of the events the filter lets through,
// kept up to date incrementally so 10,000 events a second cost little.

import { formatArgs } from "../../../runtime/live/format.ts";
import type { WireEvent } from "../../../runtime/live/protocol.ts";

export interface Row extends WireEvent {
  /** `package:event` */
  readonly key: string;
  /** `who="JP" n=2` */
  readonly text: string;
  /** lower-case `package:event args task`, what the filter searches */
  readonly hay: string;
}

export class EventStore {
  rows: Row[] = [];
  /** sequence number of rows[0]; a row's sequence number never changes */
  first = 0;
  /** sequence numbers of the rows that pass the filter, ascending; null: all rows pass */
  shown: number[] | null = null;
  /** events removed because the store was full */
  evicted = 0;
  /** Changes whenever the shown rows change other than by appending (filter, clear, eviction). */
  version = 0;
  /**
   * The `timeOrigin` the rows' times are relative to: that of the first instance of the
   * page. Events of a later instance (the app reloaded) are shifted onto it, so one
   * recording spans reloads. 0: unknown (a saved recording without it).
   */
  origin = 0;
  #terms: string[] = [];

  constructor(readonly capacity = 200_000) {}

  /** Whether a filter is set. */
  get filtering(): boolean {
    return this.#terms.length > 0;
  }

  get size(): number {
    return this.shown === null ? this.rows.length : this.shown.length;
  }

  /** The i-th row the filter shows. */
  at(i: number): Row | undefined {
    return this.shown === null ? this.rows[i] : this.rows[this.shown[i]! - this.first];
  }

  /** Appends events recorded on a page whose `timeOrigin` is `origin` (0: the store's own). */
  add(events: readonly WireEvent[], origin = 0): void {
    if (this.origin === 0) this.origin = origin;
    const shift = origin === 0 || this.origin === 0 ? 0 : origin - this.origin;
    for (const e of events) {
      const text = formatArgs(e.args);
      const key = `${e.package}:${e.name}`;
      const row: Row = { ...e, time: e.time + shift, key, text, hay: `${key} ${text} ${e.task.name}`.toLowerCase() };
      const seq = this.first + this.rows.length;
      this.rows.push(row);
      if (this.shown !== null && this.#matches(row)) this.shown.push(seq);
    }
    if (this.rows.length > this.capacity) this.#evict(Math.ceil(this.capacity / 5));
  }

  setFilter(text: string): void {
    this.version++;
    this.#terms = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (this.#terms.length === 0) {
      this.shown = null;
      return;
    }
    const shown: number[] = [];
    for (let i = 0; i < this.rows.length; i++) if (this.#matches(this.rows[i]!)) shown.push(this.first + i);
    this.shown = shown;
  }

  clear(): void {
    this.version++;
    this.first += this.rows.length;
    this.rows = [];
    if (this.shown !== null) this.shown = [];
  }

  /** How many rows each `package:event` has, filter or not. */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.rows) out.set(r.key, (out.get(r.key) ?? 0) + 1);
    return out;
  }

  /** Index (among shown rows) of the first row at or after `time`. */
  indexAt(time: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid)!.time < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #matches(row: Row): boolean {
    for (const t of this.#terms) if (!row.hay.includes(t)) return false;
    return true;
  }

  #evict(n: number): void {
    this.version++;
    this.rows.splice(0, n);
    this.first += n;
    this.evicted += n;
    if (this.shown !== null) {
      let k = 0;
      while (k < this.shown.length && this.shown[k]! < this.first) k++;
      this.shown.splice(0, k);
    }
  }
}
