// The streams of one tracetest run. An event is first queued (delivered, its
// producer paused), then held (taken by the checker, producer still paused), then
// settled: acknowledged, refused or released. A checker that finds no event waits.
// Deadlines and failures are the caller's: these are only the books.

import { describe } from "./tracetest-compare.ts";
import { RefusedError } from "./tracetest-types.ts";

type Timer = ReturnType<typeof setTimeout>;

/** A delivered event; its producer's trace call waits on `resolve` or `reject`. */
export interface Msg {
  readonly stream: string;
  readonly event: unknown;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  timer: Timer | undefined;
}

interface Waiter {
  readonly take: (m: Msg) => void;
  readonly abort: (e: unknown) => void;
  timer: Timer | undefined;
}

interface Stream {
  /** delivered, not yet taken by the checker */
  readonly queue: Msg[];
  /** taken by `take`, not yet acknowledged */
  readonly held: Set<Msg>;
  readonly waiters: Waiter[];
}

export class Streams {
  readonly #streams = new Map<string, Stream>();
  readonly #deadTime: number;
  readonly #onQueued: () => void;

  /** `onQueued` runs whenever an event is queued because no checker was waiting for it. */
  constructor(deadTime: number, onQueued: () => void) {
    this.#deadTime = deadTime;
    this.#onQueued = onQueued;
  }

  /**
   * Hands `event` to a checker waiting on `stream`, or queues it. The promise is
   * the producer's: it settles when the event is acknowledged, refused or released.
   * `onDeadlock` runs if that has not happened within the dead time.
   */
  send(stream: string, event: unknown, onDeadlock: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const msg: Msg = { stream, event, resolve, reject, timer: undefined };
      msg.timer = setTimeout(onDeadlock, this.#deadTime);
      const s = this.#stream(stream);
      const w = s.waiters.shift();
      if (w !== undefined) {
        s.held.add(msg);
        w.take(msg);
      } else {
        s.queue.push(msg);
        this.#onQueued();
      }
    });
  }

  /**
   * The next event of `stream`, now held. If none comes within the dead time, the
   * promise rejects with what `onDeadlock` returns.
   */
  take(stream: string, onDeadlock: () => unknown): Promise<Msg> {
    const s = this.#stream(stream);
    const msg = s.queue.shift();
    if (msg !== undefined) {
      s.held.add(msg);
      return Promise.resolve(msg);
    }
    return new Promise<Msg>((resolve, reject) => {
      const w: Waiter = {
        take: (m) => {
          clearTimeout(w.timer);
          resolve(m);
        },
        abort: (e) => {
          clearTimeout(w.timer);
          reject(e);
        },
        timer: undefined,
      };
      w.timer = setTimeout(() => {
        s.waiters.splice(s.waiters.indexOf(w), 1);
        reject(onDeadlock());
      }, this.#deadTime);
      s.waiters.push(w);
    });
  }

  /** Releases the producer of a held event; nothing if it is no longer held. */
  ack(msg: Msg): void {
    if (this.unhold(msg)) msg.resolve();
  }

  /**
   * Takes a held event off the books without settling it, so a release does not
   * reach it and its producer can be told something else. False if it was not held.
   */
  unhold(msg: Msg): boolean {
    if (!this.#stream(msg.stream).held.delete(msg)) return false;
    clearTimeout(msg.timer);
    return true;
  }

  /**
   * Rejects every queued and held event with a `RefusedError` saying `why`, and
   * every waiting checker with `failed` (or an error saying `why` if undefined).
   */
  release(why: string, failed: unknown): void {
    for (const [name, s] of this.#streams) {
      for (const msg of [...s.held, ...s.queue]) {
        clearTimeout(msg.timer);
        msg.reject(new RefusedError(`tracetest: ${name}\t<- ${describe(msg.event)}: released: ${why}`));
      }
      s.held.clear();
      s.queue.length = 0;
      for (const w of s.waiters.splice(0)) w.abort(failed ?? new Error(`tracetest: ${name}: expect: ${why}`));
    }
  }

  /** Events queued or held, over all streams. */
  get pendingCount(): number {
    let n = 0;
    for (const s of this.#streams.values()) n += s.held.size + s.queue.length;
    return n;
  }

  /** Every stream seen, by name, with its queued and held events. */
  pending(): Array<[string, unknown[]]> {
    return [...this.#streams.keys()].sort().map((name) => {
      const s = this.#streams.get(name)!;
      return [name, [...s.held, ...s.queue].map((m) => m.event)];
    });
  }

  #stream(name: string): Stream {
    let s = this.#streams.get(name);
    if (s === undefined) this.#streams.set(name, (s = { queue: [], held: new Set(), waiters: [] }));
    return s;
  }
}
