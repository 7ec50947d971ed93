// The events the dev server keeps per page, for viewers that come later (a new UI
// tab, a UI that reloaded), bounded in bytes of JSON rather than in events: a page
// that sends forty 7 MB events keeps at most LIMITS.maxHistoryBytes of them. A
// shared budget bounds all pages together. Each event was serialised once on
// arrival (see `wireSafe`), so its size is known and it is known to serialise.

import type { WireEvent } from "../../runtime/live/protocol.ts";

export interface Kept {
  event: WireEvent;
  bytes: number;
}

/** Bytes kept by all histories of one hub. */
export interface Budget {
  bytes: number;
  readonly max: number;
}

export class History {
  #items: Kept[] = [];
  #head = 0;
  bytes = 0;
  /** Events removed (or never kept) to stay within the bounds. */
  evicted = 0;

  constructor(
    readonly maxBytes: number,
    readonly budget: Budget,
  ) {}

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(k: Kept): void {
    if (k.bytes > this.maxBytes) {
      this.evicted++;
      return;
    }
    this.#items.push(k);
    this.bytes += k.bytes;
    this.budget.bytes += k.bytes;
    while (this.bytes > this.maxBytes) this.shift();
  }

  /** Drops the oldest event; false when there is none. */
  shift(): boolean {
    if (this.#head >= this.#items.length) return false;
    const k = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as never;
    this.bytes -= k.bytes;
    this.budget.bytes -= k.bytes;
    this.evicted++;
    // Compact now and then so removal costs amortised O(1) per event.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return true;
  }

  clear(): void {
    this.budget.bytes -= this.bytes;
    this.bytes = 0;
    this.#items = [];
    this.#head = 0;
  }

  /** The kept events in chunks of at most `maxBytes` each (at least one event per chunk). */
  *chunks(maxBytes: number, maxEvents: number): Generator<WireEvent[]> {
    let chunk: WireEvent[] = [];
    let bytes = 0;
    for (let i = this.#head; i < this.#items.length; i++) {
      const k = this.#items[i]!;
      if (chunk.length > 0 && (bytes + k.bytes > maxBytes || chunk.length >= maxEvents)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(k.event);
      bytes += k.bytes;
    }
    if (chunk.length > 0) yield chunk;
  }
}

/**
 * The event as it can travel: itself if it serialises, else the same event with
 * its arguments replaced by a note (an argument nested 90,000 deep overflows the
 * stack of JSON.stringify; it must not take the events sent with it down too).
 */
export function wireSafe(e: WireEvent): Kept {
  try {
    const json = JSON.stringify(e);
    return { event: e, bytes: json.length };
  } catch (err) {
    const event: WireEvent = { time: e.time, package: e.package, name: e.name, args: { "(unserialisable)": `arguments dropped: ${String((err as Error)?.message ?? err).slice(0, 200)}` }, task: e.task };
    return { event, bytes: JSON.stringify(event).length };
  }
}
