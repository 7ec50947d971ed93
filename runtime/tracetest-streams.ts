// The streams of one tracetest run. An event is first queued (delivered, its
// producer paused), then held (taken by the checker, producer still paused), then
// settled: acknowledged or released, which both let the producer go on. A checker
// that finds no event waits. Deadlines and failures are the caller's: these are
// only the books.

type Timer = ReturnType<typeof setTimeout>;

/** A delivered event; its producer's trace call waits on `resolve`. */
export interface Msg {
  readonly stream: string;
  readonly event: unknown;
  readonly resolve: () => void;
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
  send(stream: string, event: unknown, onDeadlock: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const msg: Msg = { stream, event, resolve, timer: undefined };
      // a deadlock the caller puts off (a checker is waiting: its failure comes first) is checked again later
      const check = () => {
        if (!onDeadlock()) msg.timer = setTimeout(check, this.#deadTime);
      };
      msg.timer = setTimeout(check, this.#deadTime);
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
   * Lets every queued and held event's producer go on, and rejects every waiting
   * checker with `failed` (or an error saying `why` if undefined). Returns the
   * streams of the producers let go, one entry per producer.
   */
  release(why: string, failed: unknown): string[] {
    const released: string[] = [];
    for (const [name, s] of this.#streams) {
      for (const msg of [...s.held, ...s.queue]) {
        clearTimeout(msg.timer);
        msg.resolve();
        released.push(name);
      }
      s.held.clear();
      s.queue.length = 0;
      for (const w of s.waiters.splice(0)) w.abort(failed ?? new Error(`tracetest: ${name}: expect: ${why}`));
    }
    return released;
  }

  /** Whether a checker is waiting for an event on some stream. */
  get waiting(): boolean {
    for (const s of this.#streams.values()) if (s.waiters.length > 0) return true;
    return false;
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
