// The recordings the UI shows, one per page id. The dev server keeps a page's id
// across its reloads and puts every load's events on the first load's clock, so a
// page's recording spans its reloads as it is. A page that stays away longer than
// the server waits comes back under the same id as a new page with a clock of its
// own: the store shifts its events onto the recording's clock (by `timeOrigin`).
// While paused, events wait here with their page's time origin and are added on resume.

import type { PageInfo, WireEvent } from "../../../runtime/live/protocol.ts";
import { EventStore } from "./store.ts";

/** Recordings of gone pages kept for the page to come back to. */
const KEEP_GONE = 8;

export class Recordings {
  readonly #stores = new Map<string, EventStore>();
  #waiting: Array<{ page: string; events: WireEvent[]; origin: number }> = [];
  waitingCount = 0;

  constructor(readonly filter: () => string) {}

  of(page: string): EventStore {
    let s = this.#stores.get(page);
    if (s === undefined) {
      s = new EventStore();
      s.setFilter(this.filter());
      this.#stores.set(page, s);
    }
    return s;
  }

  /** Forgets all but the last few recordings of pages that are gone. */
  prune(live: readonly PageInfo[]): void {
    const used = new Set(live.map((x) => x.id));
    const gone = [...this.#stores.keys()].filter((k) => !used.has(k));
    for (const k of gone.slice(0, Math.max(0, gone.length - KEEP_GONE))) this.#stores.delete(k);
  }

  setFilter(text: string): void {
    for (const store of this.#stores.values()) store.setFilter(text);
  }

  add(page: string, events: readonly WireEvent[], origin: number): void {
    this.of(page).add(events, origin);
  }

  wait(page: string, events: WireEvent[], origin: number): void {
    this.#waiting.push({ page, events, origin });
    this.waitingCount += events.length;
  }

  /** Adds what waited to the recordings. */
  release(): void {
    const list = this.#waiting;
    this.#waiting = [];
    this.waitingCount = 0;
    for (const w of list) this.add(w.page, w.events, w.origin);
  }

  /** Events waiting for `page`, on its store's clock. */
  waitingFor(page: string, store: EventStore): WireEvent[] {
    return this.#waiting
      .filter((w) => w.page === page)
      .flatMap((w) => {
        const shift = w.origin && store.origin ? w.origin - store.origin : 0;
        return w.events.map((e) => ({ ...e, time: e.time + shift }));
      });
  }
}
