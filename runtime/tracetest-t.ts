// `T`, the handle of one tracetest run. Probes hand it events (`rxEvent`), the
// test checks them (`expect`, `recv`), and the first failure releases every paused
// producer and wakes the driver, so a failing test ends at once instead of each
// producer and checker running into its own timeout.
//
// A failure's report reads as Go's tracetest writes it: the checker's reason, then
// the shutdown summary (what was still pending, stream by stream), then one line
// per producer that was let go (`t1: send: deadlock`). Released producers go on as
// if nobody traced them: their trace call resolves. A rejection there would reach
// code that could not await it (a Promise executor, a queue's enqueue) as an
// unhandled rejection in the user's runner.

import { ProbeGroup, tracepoints } from "./tracing.ts";
import { describe, typeName } from "./tracetest-compare.ts";
import { asError, callerFrames, errorText, firstLine, makeError, mismatch, shutdownReport } from "./tracetest-report.ts";
import { Streams, type Msg } from "./tracetest-streams.ts";
import type { EventRouter, Failure, Injection, Received, TraceEntry } from "./tracetest-types.ts";

type Timer = ReturnType<typeof setTimeout>;

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

const RESOLVED: Promise<void> = Promise.resolve();
/** Producer lines a report lists before it counts the rest. */
const MAX_SEND_LINES = 50;

// Stripped builds (`strip: true`) leave attach functions that do nothing; they
// count their calls here so a test waiting for an event can say why none comes.
const STRIPPED = Symbol.for("unplugin-tracing.stripped.v1");
interface Stripped {
  count: number;
  last: string;
}
const stripped = (): Stripped | undefined => (globalThis as Record<symbol, Stripped | undefined>)[STRIPPED];

/** The events of one synchronous run of a stream, delivered in order behind a delayed one. */
interface Tail {
  readonly turn: object;
  readonly delivered: Promise<void>;
}

/**
 * The handle a test function gets from `run` and `verify`: one per run.
 * Attach probes to `t.pg` so they are detached when the run ends.
 */
export class T {
  /**
   * A probe group owned by this run and done when the run ends, passed or failed,
   * so no probe of one run sees the events of the next.
   */
  readonly pg = new ProbeGroup();

  readonly #deadTime: number;
  readonly #log: ((line: string) => void) | null;
  readonly #inject: Injection | null;
  readonly #runFrames: string;
  #route: EventRouter | null = null;
  readonly #streams: Streams;
  readonly #sent = new Map<string, number>();
  readonly #trace: TraceEntry[] = [];
  readonly #tasks: Promise<void>[] = [];
  readonly #delays = new Set<() => void>();
  readonly #tails = new Map<string, Tail>();
  #turn: object | null = null;
  readonly #stripBase = stripped()?.count ?? 0;
  #failure: Failure | null = null;
  #ended = false;
  #onPending: (() => void) | null = null;
  #onFail!: () => void;
  /** @internal settles when the run fails */
  readonly failed = new Promise<void>((resolve) => (this.#onFail = resolve));

  /** @internal Made by `run` and `verify`. */
  constructor(deadTime: number, log: ((line: string) => void) | null, inject: Injection | null, runFrames: string) {
    this.#deadTime = deadTime;
    this.#log = log;
    this.#inject = inject;
    this.#runFrames = runFrames;
    this.#streams = new Streams(deadTime, () => this.#onPending?.());
  }

  /**
   * Sets the function that names the stream of each event; without one every
   * event goes to stream `"default"`. Call it once, before events arrive.
   */
  setEventRouter(route: EventRouter): void {
    if (typeof route !== "function") throw new TypeError("tracetest: setEventRouter: route must be a function");
    if (this.#route !== null) throw new Error("tracetest: setEventRouter: the router is already set");
    this.#route = route;
  }

  /**
   * Hands an event to the checker; call it from a probe and return what it returns.
   * The promise resolves when the checker acknowledges the event, or when the run
   * lets the producer go (the test failed or has ended). It never rejects.
   */
  rxEvent(event: unknown): Promise<void> {
    let stream: string;
    try {
      stream = this.#route === null ? "default" : this.#route(event);
      if (typeof stream !== "string") throw new TypeError(`it returned ${describe(stream)}, not a stream name`);
    } catch (e) {
      this.#fail(`tracetest: event router failed on ${describe(event)}: ${errorText(e)}`, this.#runFrames);
      return this.#refuse("?", event);
    }
    if (this.#closed()) return this.#refuse(stream, event);
    const k = this.#sent.get(stream) ?? 0;
    this.#sent.set(stream, k + 1);
    const inj = this.#inject;
    if (inj === null) return this.#deliver(stream, k, event);
    // Under delay injection, events one synchronous run signalled on a stream stay
    // in order behind the delayed one: a producer that could not await its trace
    // call (a Promise executor, sync code) would otherwise be overtaken by itself.
    const turn = this.#currentTurn();
    const tail = this.#tails.get(stream);
    let gate: Promise<void> | null = null;
    if (tail !== undefined && tail.turn === turn) gate = tail.delivered;
    else if (inj.stream === stream && inj.k === k) gate = this.#sleep(inj.delay);
    if (gate === null) return this.#deliver(stream, k, event);
    let ack = RESOLVED;
    const delivered = gate.then(() => {
      ack = this.#deliver(stream, k, event);
    });
    this.#tails.set(stream, { turn, delivered });
    return delivered.then(() => ack);
  }

  /**
   * Waits for the next event of `stream` and checks that it has the type of `want`
   * (same class, or same `typeof` for primitives) and is deeply equal to it; then
   * acknowledges it, releasing the producer. Otherwise the test fails and this throws.
   */
  async expect(stream: string, want: unknown): Promise<void> {
    const frames = callerFrames(T.prototype.expect);
    const msg = await this.#take(stream, typeName(want), frames);
    const m = mismatch(stream, want, msg.event);
    if (m !== null) throw this.#nak(msg, m.report, m.why, frames);
    this.#streams.ack(msg);
  }

  /**
   * Waits for the next event of `stream` and hands it over with its producer still
   * paused, so the test can look at state first; then call `ack()` or `nak(why)`.
   */
  async recv(stream: string): Promise<Received> {
    const frames = callerFrames(T.prototype.recv);
    const msg = await this.#take(stream, "an event", frames);
    const nak = (why: string): never => {
      throw this.#nak(msg, `${stream}: ${why}`, String(why), callerFrames(nak));
    };
    return { stream, event: msg.event, ack: () => this.#streams.ack(msg), nak };
  }

  /**
   * Starts a background task the run owns, as `go` starts a goroutine: `task` is a
   * promise or a function to call now. At the end of the test function the run
   * waits for its tasks (or for an event nobody expects), a task that rejects fails
   * the test, and a rejection caused by a failure elsewhere is not reported twice.
   * Returns the task's own promise.
   */
  go<R>(task: PromiseLike<R> | (() => R | PromiseLike<R>)): Promise<Awaited<R>> {
    let p: Promise<Awaited<R>>;
    try {
      p = Promise.resolve(typeof task === "function" ? task() : task) as Promise<Awaited<R>>;
    } catch (e) {
      p = Promise.reject(e);
    }
    this.#tasks.push(
      p.then(
        () => {},
        (e: unknown) => {
          if (!this.#closed()) this.#fail(`go: a task failed: ${errorText(e)}`, this.#runFrames);
        },
      ),
    );
    return p;
  }

  // --- internals used by run and verify -----------------------------------------

  /** @internal */
  get trace(): readonly TraceEntry[] {
    return this.#trace;
  }

  /** @internal */
  get failure(): Failure | null {
    return this.#failure;
  }

  /** @internal After the test function returned: wait for tasks, then fail on leftovers. */
  async shutdown(): Promise<void> {
    // let producers that were just acknowledged reach their next trace call
    await new Promise((r) => setTimeout(r, 0));
    if (this.#tasks.length > 0 && this.#failure === null && this.#streams.pendingCount === 0) {
      let timer: Timer | undefined;
      const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), this.#deadTime)));
      const pending = new Promise<void>((r) => (this.#onPending = r));
      const r = await Promise.race([Promise.all(this.#tasks), timeout, pending, this.failed]);
      clearTimeout(timer);
      this.#onPending = null;
      if (r === "timeout" && this.#failure === null && this.#streams.pendingCount === 0) {
        this.#fail(`test shutdown: a task started with t.go is still running after ${this.#deadTime} ms`, this.#runFrames);
      }
    }
    if (this.#failure === null && this.#streams.pendingCount > 0) this.#fail(null, this.#runFrames);
  }

  /** @internal The test function threw an error of its own: release everything. */
  abort(thrown: unknown): void {
    if (this.#failure !== null) return;
    this.#failure = { thrown, report: null, frames: "" };
    try {
      this.#release(`the test failed: ${firstLine(errorText(thrown))}`);
    } finally {
      this.#onFail();
    }
  }

  /** @internal The run is over: detach its probes, let go of everything, refuse later events. */
  close(): void {
    this.#ended = true;
    try {
      this.#release(this.#failure === null ? "the test has ended" : `the test failed`);
    } finally {
      this.pg.done();
    }
  }

  #closed(): boolean {
    return this.#ended || this.#failure !== null;
  }

  #currentTurn(): object {
    if (this.#turn === null) {
      const turn = (this.#turn = {});
      queueMicrotask(() => {
        if (this.#turn === turn) this.#turn = null;
      });
    }
    return this.#turn;
  }

  #deliver(stream: string, k: number, event: unknown): Promise<void> {
    if (this.#closed()) return this.#refuse(stream, event);
    this.#trace.push({ stream, k, at: now() });
    this.#log?.(`${stream}\t<- ${describe(event)}`);
    return this.#streams.send(stream, event, () => {
      // a checker waiting for an event is the reason, as in Go: its own deadline reports this send after it
      if (this.#streams.waiting && this.#failure === null) return false;
      this.#fail(null, this.#runFrames);
      return true;
    });
  }

  #take(stream: string, want: string, frames: string): Promise<Msg> {
    if (this.#failure !== null) return Promise.reject(this.#failure.thrown);
    if (this.#ended) return Promise.reject(new Error(`tracetest: ${stream}: expect after the test ended`));
    const removed = this.#trace.length === 0 ? this.#stripped() : null;
    if (removed !== null) return Promise.reject(this.#fail(removed, frames));
    return this.#streams.take(stream, () => this.#fail(`${stream}: recv: deadlock waiting for ${want}`, frames));
  }

  /** Why no event can come when tracing was stripped from the build, or null. */
  #stripped(): string | null {
    const s = stripped();
    if (s === undefined || s.count === this.#stripBase) return null;
    if (tracepoints().some((tp) => tp.probeCount > 0)) return null;
    return `tracetest: tracing was removed from this build (strip: true): ${s.last} attached nothing, so no event can come; build the tests with strip: false`;
  }

  /** Fails the test over `msg`, which is then not pending any more: its producer is told `why` and let go. */
  #nak(msg: Msg, message: string, why: string, frames: string): Error {
    if (!this.#streams.unhold(msg)) return this.#fail(message, frames);
    const error = this.#fail(message, frames, `${msg.stream}: send: ${why}`);
    msg.resolve();
    return error;
  }

  #refuse(stream: string, event: unknown): Promise<void> {
    this.#log?.(`${stream}\t<- ${describe(event)}: refused: ${this.#failure !== null ? "the test failed" : "the test has ended"}`);
    return RESOLVED;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#delays.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#delays.add(wake);
    });
  }

  /**
   * Records the first failure, releases every paused producer, wakes the runner.
   * The report: `reason` (none when the pending events are the reason), the
   * shutdown summary, then a line per producer let go, `nak` first. Never throws:
   * it runs from timers.
   */
  #fail(reason: string | null, frames: string, nak?: string): Error {
    if (this.#failure !== null) return asError(this.#failure.thrown);
    let report: string;
    try {
      const summary = shutdownReport(this.#streams.pending());
      report = reason === null ? summary : `${reason}\n${summary}`;
    } catch (e) {
      report = `${reason ?? "tracetest: the test failed"}\n(tracetest could not list the pending events: ${errorText(e)})`;
    }
    const error = makeError(report, frames);
    this.#failure = { thrown: error, report, frames };
    let released: string[] = [];
    try {
      released = this.#release(`the test failed: ${firstLine(reason ?? report)}`);
    } finally {
      const lines = nak === undefined ? [] : [nak];
      for (const stream of released.slice(0, MAX_SEND_LINES)) lines.push(`${stream}: send: deadlock`);
      if (released.length > MAX_SEND_LINES) lines.push(`… ${released.length - MAX_SEND_LINES} more producers released`);
      if (lines.length > 0) {
        report = `${report}\n${lines.join("\n")}`;
        error.message = report;
        if (frames !== "") error.stack = `Error: ${report}\n${frames}`;
        this.#failure = { thrown: error, report, frames };
      }
      this.#onFail();
    }
    return error;
  }

  #release(why: string): string[] {
    const released = this.#streams.release(why, this.#failure?.thrown);
    for (const wake of [...this.#delays]) wake();
    return released;
  }
}
