// `T`, the handle of one tracetest run. Probes hand it events (`rxEvent`), the
// test checks them (`expect`, `recv`), and the first failure releases every paused
// producer and wakes the driver, so a failing test ends at once instead of each
// producer and checker running into its own timeout.

import { ProbeGroup } from "./tracing.ts";
import { describe, typeName } from "./tracetest-compare.ts";
import { asError, callerFrames, errorText, firstLine, makeError, mismatch, shutdownReport } from "./tracetest-report.ts";
import { Streams, type Msg } from "./tracetest-streams.ts";
import { RefusedError, type EventRouter, type Failure, type Injection, type Received, type TraceEntry } from "./tracetest-types.ts";

type Timer = ReturnType<typeof setTimeout>;

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
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
   * The promise resolves when the checker acknowledges the event, and rejects with
   * a `RefusedError` if the test fails first or has already ended.
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
    if (inj !== null && inj.stream === stream && inj.k === k) {
      return this.#sleep(inj.delay).then(() => this.#deliver(stream, k, event));
    }
    return this.#deliver(stream, k, event);
  }

  /**
   * Waits for the next event of `stream` and checks that it has the type of `want`
   * (same class, or same `typeof` for primitives) and is deeply equal to it; then
   * acknowledges it, releasing the producer. Otherwise the test fails and this throws.
   */
  async expect(stream: string, want: unknown): Promise<void> {
    const frames = callerFrames(T.prototype.expect);
    const msg = await this.#take(stream, typeName(want), frames);
    const report = mismatch(stream, want, msg.event);
    if (report !== null) throw this.#nak(msg, report, frames);
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
      throw this.#nak(msg, `${stream}: ${why}`, callerFrames(nak));
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
    if (this.#failure === null && this.#streams.pendingCount > 0) {
      this.#fail(shutdownReport(this.#streams.pending()), this.#runFrames, false);
    }
  }

  /** @internal The test function threw an error of its own: release everything. */
  abort(thrown: unknown): void {
    if (this.#failure !== null) return;
    this.#failure = { thrown, report: null, frames: "" };
    this.#release(`the test failed: ${firstLine(errorText(thrown))}`);
    this.#onFail();
  }

  /** @internal The run is over: detach its probes, let go of everything, refuse later events. */
  close(): void {
    this.#ended = true;
    this.#release(this.#failure === null ? "the test has ended" : `the test failed`);
    this.pg.done();
  }

  #closed(): boolean {
    return this.#ended || this.#failure !== null;
  }

  #deliver(stream: string, k: number, event: unknown): Promise<void> {
    if (this.#closed()) return this.#refuse(stream, event);
    this.#trace.push({ stream, k, at: now() });
    this.#log?.(`${stream}\t<- ${describe(event)}`);
    return this.#streams.send(stream, event, () => this.#fail(`${stream}: send: deadlock`, this.#runFrames));
  }

  #take(stream: string, want: string, frames: string): Promise<Msg> {
    if (this.#failure !== null) return Promise.reject(this.#failure.thrown);
    if (this.#ended) return Promise.reject(new Error(`tracetest: ${stream}: expect after the test ended`));
    return this.#streams.take(stream, () => this.#fail(`${stream}: recv: deadlock waiting for ${want}`, frames));
  }

  /** Fails the test over `msg`, which is then not pending any more: its producer is told why. */
  #nak(msg: Msg, message: string, frames: string): Error {
    if (!this.#streams.unhold(msg)) return this.#fail(message, frames);
    const error = this.#fail(message, frames);
    msg.reject(new RefusedError(`tracetest: ${msg.stream}\t<- ${describe(msg.event)}: refused: ${firstLine(message)}`));
    return error;
  }

  #refuse(stream: string, event: unknown): Promise<void> {
    const why = this.#failure !== null ? "the test failed" : "the test has ended";
    return Promise.reject(new RefusedError(`tracetest: ${stream}\t<- ${describe(event)}: refused: ${why}`));
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

  /** Records the first failure, releases every paused producer, wakes the runner. */
  #fail(message: string, frames: string, withPending = true): Error {
    if (this.#failure !== null) return asError(this.#failure.thrown);
    const report = withPending && this.#streams.pendingCount > 0 ? `${message}\n${shutdownReport(this.#streams.pending())}` : message;
    const error = makeError(report, frames);
    this.#failure = { thrown: error, report, frames };
    this.#release(`the test failed: ${firstLine(message)}`);
    this.#onFail();
    return error;
  }

  #release(why: string): void {
    this.#streams.release(why, this.#failure?.thrown);
    for (const wake of [...this.#delays]) wake();
  }
}
