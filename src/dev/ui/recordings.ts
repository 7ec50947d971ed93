// The recordings the UI shows, one per page as the user sees it. A page that reloads
// comes back as a new instance with a new id; it continues the recording of the gone
// instance of the same URL, so the timeline and the table span the reload (times are
// shifted onto the first instance's clock by the store). While paused, events wait
// here with their page's time origin and are added on resume.

import type { PageInfo, WireEvent } from "../../../runtime/live/protocol.ts";
import { EventStore } from "./store.ts";

/** Recordings of gone pages kept for a reload to continue. */
const KEEP_GONE = 8;

export class Recordings {
  readonly #stores = new Map<string, { store: EventStore; url: string }>();
  /** page instance id -> id of the instance that started its recording */
  readonly #lineOf = new Map<string, string>();
  #waiting: Array<{ page: string; events: WireEvent[]; origin: number }> = [];
  waitingCount = 0;

  constructor(readonly filter: () => string) {}

  /** The id of the recording `page` adds to. */
  line(page: string): string {
    return this.#lineOf.get(page) ?? page;
  }

  of(page: string, url: string): EventStore {
    const key = this.line(page);
    let s = this.#stores.get(key);
    if (s === undefined) {
      const store = new EventStore();
      store.setFilter(this.filter());
      this.#stores.set(key, (s = { store, url }));
    }
    return s.store;
  }

  /** A new page instance continues the recording of a gone page of the same URL, if there is one. */
  adopt(p: PageInfo, live: readonly PageInfo[]): void {
    if (this.#lineOf.has(p.id) || this.#stores.has(p.id)) return;
    const used = new Set(live.filter((x) => x.id !== p.id).map((x) => this.line(x.id)));
    for (const [key, s] of this.#stores) {
      if (s.url === p.url && !used.has(key)) {
        this.#lineOf.set(p.id, key);
        return;
      }
    }
  }

  /** Forgets all but the last few recordings of pages that are gone. */
  prune(live: readonly PageInfo[]): void {
    const used = new Set(live.map((x) => this.line(x.id)));
    const gone = [...this.#stores.keys()].filter((k) => !used.has(k));
    for (const k of gone.slice(0, Math.max(0, gone.length - KEEP_GONE))) this.#stores.delete(k);
  }

  setFilter(text: string): void {
    for (const { store } of this.#stores.values()) store.setFilter(text);
  }

  add(page: string, url: string, events: readonly WireEvent[], origin: number): void {
    this.of(page, url).add(events, origin);
  }

  wait(page: string, events: WireEvent[], origin: number): void {
    this.#waiting.push({ page, events, origin });
    this.waitingCount += events.length;
  }

  /** Adds what waited to the recordings. */
  release(urlOf: (page: string) => string): void {
    const list = this.#waiting;
    this.#waiting = [];
    this.waitingCount = 0;
    for (const w of list) this.add(w.page, urlOf(w.page), w.events, w.origin);
  }

  /** Events waiting for recording `line`, on its store's clock. */
  waitingFor(line: string, store: EventStore): WireEvent[] {
    return this.#waiting
      .filter((w) => this.line(w.page) === line)
      .flatMap((w) => {
        const shift = w.origin && store.origin ? w.origin - store.origin : 0;
        return w.events.map((e) => ({ ...e, time: e.time + shift }));
      });
  }
}
