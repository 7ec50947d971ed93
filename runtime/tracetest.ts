// Synchronous tracing for tests of concurrent async code, after Go's tracetest.
//
// Probes hand events to `T.rxEvent`, which routes each to a named stream and
// returns a promise the probe returns: the producer's `await traceX()` stays paused
// until the checker, in `T.expect`, has compared the event and acknowledged it. So
// each stream is checked in order, every producer is held at a known point while it
// is checked, and `verify` reruns the test with one event delayed at a time to shake
// out orders that only held by luck.
//
// Plain promises and timers only, so it runs in browsers too. Every failure becomes
// one Error whose message is the whole report and whose stack starts at the test's
// line (captured where the test called `expect` or `run`).

import { ProbeGroup } from "./tracing.ts";
import { deepEqual, describe, diff, sameType, typeName } from "./tracetest-compare.ts";

/** Options of `run` and `verify`. */
export interface TracetestOptions {
  /**
   * How long `expect` waits for an event, and a producer for its acknowledgement,
   * before the test fails as deadlocked, in milliseconds.
   * @default 3000
   */
  deadTime?: number | undefined;
  /**
   * Print each event as it is delivered and each run of `verify`: `true` prints with
   * `console.log`, a function gets each line.
   * @default false
   */
  verbose?: boolean | ((line: string) => void) | undefined;
}

/** Maps an event to the name of the stream it belongs to. */
export type EventRouter = (event: unknown) => string;

/** An event taken by `T.recv`: the producer stays paused until `ack()` or `nak()`. */
export interface Received {
  readonly stream: string;
  readonly event: unknown;
  /** Releases the producer: its `await traceX()` resolves. */
  ack(): void;
  /** Fails the test with `<stream>: <why>` and throws that failure. */
  nak(why: string): never;
}

/**
 * What a producer's trace call rejects with when tracetest lets it go without an
 * acknowledgement: the test failed while it was paused, or its event came after
 * the test had ended.
 */
export class RefusedError extends Error {
  override name = "RefusedError";
}

/** A delay `verify` injects before the k-th event of one stream. */
interface Injection {
  readonly stream: string;
  readonly k: number;
  readonly delay: number;
}

/** One delivered event, as `verify` remembers it. */
interface TraceEntry {
  readonly stream: string;
  readonly k: number;
  readonly at: number;
}

type Timer = ReturnType<typeof setTimeout>;

interface Msg {
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
  /** taken by `recv`, not yet acknowledged */
  readonly held: Set<Msg>;
  readonly waiters: Waiter[];
}

interface Failure {
  /** what the test threw: our report Error, or the user's own error */
  readonly thrown: unknown;
  /** our report, or null when the failure is the user's own error */
  readonly report: string | null;
  readonly frames: string;
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
  readonly #streams = new Map<string, Stream>();
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
    const have = msg.event;
    if (!sameType(want, have)) {
      throw this.#nak(msg, `${stream}: expect: ${typeName(want)}: got ${typeName(have)} instead\nwant: ${describe(want)}\nhave: ${describe(have)}`, frames);
    }
    if (!deepEqual(want, have)) {
      const lines = diff(want, have).map((l) => `  ${l}`);
      throw this.#nak(msg, `${stream}: expect: ${typeName(want)}:\nwant: ${describe(want)}\nhave: ${describe(have)}\ndiff (-want +have):\n${lines.join("\n")}`, frames);
    }
    this.#ack(msg);
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
    return { stream, event: msg.event, ack: () => this.#ack(msg), nak };
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
    if (this.#tasks.length > 0 && this.#failure === null && this.#pendingCount() === 0) {
      let timer: Timer | undefined;
      const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), this.#deadTime)));
      const pending = new Promise<void>((r) => (this.#onPending = r));
      const r = await Promise.race([Promise.all(this.#tasks), timeout, pending, this.failed]);
      clearTimeout(timer);
      this.#onPending = null;
      if (r === "timeout" && this.#failure === null && this.#pendingCount() === 0) {
        this.#fail(`test shutdown: a task started with t.go is still running after ${this.#deadTime} ms`, this.#runFrames);
      }
    }
    if (this.#failure === null && this.#pendingCount() > 0) this.#fail(this.#shutdownReport(), this.#runFrames, false);
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

  #stream(name: string): Stream {
    let s = this.#streams.get(name);
    if (s === undefined) this.#streams.set(name, (s = { queue: [], held: new Set(), waiters: [] }));
    return s;
  }

  #deliver(stream: string, k: number, event: unknown): Promise<void> {
    if (this.#closed()) return this.#refuse(stream, event);
    this.#trace.push({ stream, k, at: now() });
    this.#log?.(`${stream}\t<- ${describe(event)}`);
    return new Promise<void>((resolve, reject) => {
      const msg: Msg = { stream, event, resolve, reject, timer: undefined };
      msg.timer = setTimeout(() => this.#fail(`${stream}: send: deadlock`, this.#runFrames), this.#deadTime);
      const s = this.#stream(stream);
      const w = s.waiters.shift();
      if (w !== undefined) {
        s.held.add(msg);
        w.take(msg);
      } else {
        s.queue.push(msg);
        this.#onPending?.();
      }
    });
  }

  #take(stream: string, want: string, frames: string): Promise<Msg> {
    if (this.#failure !== null) return Promise.reject(this.#failure.thrown);
    if (this.#ended) return Promise.reject(new Error(`tracetest: ${stream}: expect after the test ended`));
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
        reject(this.#fail(`${stream}: recv: deadlock waiting for ${want}`, frames));
      }, this.#deadTime);
      s.waiters.push(w);
    });
  }

  #ack(msg: Msg): void {
    const s = this.#stream(msg.stream);
    if (!s.held.delete(msg)) return;
    clearTimeout(msg.timer);
    msg.resolve();
  }

  /** Fails the test over `msg`, which is then not pending any more: its producer is told why. */
  #nak(msg: Msg, message: string, frames: string): Error {
    if (!this.#stream(msg.stream).held.delete(msg)) return this.#fail(message, frames);
    clearTimeout(msg.timer);
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
    const report = withPending && this.#pendingCount() > 0 ? `${message}\n${this.#shutdownReport()}` : message;
    const error = makeError(report, frames);
    this.#failure = { thrown: error, report, frames };
    this.#release(`the test failed: ${firstLine(message)}`);
    this.#onFail();
    return error;
  }

  #release(why: string): void {
    const failed = this.#failure?.thrown;
    for (const [name, s] of this.#streams) {
      for (const msg of [...s.held, ...s.queue]) {
        clearTimeout(msg.timer);
        msg.reject(new RefusedError(`tracetest: ${name}\t<- ${describe(msg.event)}: released: ${why}`));
      }
      s.held.clear();
      s.queue.length = 0;
      for (const w of s.waiters.splice(0)) w.abort(failed ?? new Error(`tracetest: ${name}: expect: ${why}`));
    }
    for (const wake of [...this.#delays]) wake();
  }

  #pendingCount(): number {
    let n = 0;
    for (const s of this.#streams.values()) n += s.held.size + s.queue.length;
    return n;
  }

  #shutdownReport(): string {
    const names = [...this.#streams.keys()].sort();
    const lines: string[] = [];
    let n = 0;
    for (const name of names) {
      const s = this.#streams.get(name)!;
      const msgs = [...s.held, ...s.queue];
      n += msgs.length;
      if (msgs.length === 0) lines.push(`# ${name}`);
      for (const m of msgs) lines.push(`${name}\t<- ${describe(m.event)}`);
    }
    return [`test shutdown: #streams: ${names.length},  #(pending events): ${n}`, ...lines].join("\n");
  }
}

/** What one run left behind. */
interface RunResult {
  readonly trace: readonly TraceEntry[];
  readonly failure: Failure | null;
}

/**
 * Runs `fn(t)` once with a fresh `T`. Resolves when the test passed; otherwise
 * rejects with one Error holding the whole report (or with the error `fn` threw).
 */
export async function run(fn: (t: T) => unknown, opts?: TracetestOptions): Promise<void> {
  const frames = callerFrames(run);
  const r = await runOnce(fn, resolveOptions(opts), null, frames);
  if (r.failure !== null) throw r.failure.thrown;
}

/**
 * Runs `fn(t)` once, then, if it saw at least two events, once more per event i
 * with a delay injected before event i is delivered (10× the largest gap between
 * events of the first run, at least 10 ms). Every run must pass and route events
 * to the same set of streams; a failing rerun is named `delay@i(=stream:k)`, k
 * being the event's index within its stream.
 */
export async function verify(fn: (t: T) => unknown, opts?: TracetestOptions): Promise<void> {
  const frames = callerFrames(verify);
  const o = resolveOptions(opts);
  const first = await runOnce(fn, o, null, frames);
  if (first.failure !== null) throw first.failure.thrown;
  const trace = first.trace;
  if (trace.length < 2) return;
  let gap = 0;
  for (let i = 1; i < trace.length; i++) gap = Math.max(gap, trace[i]!.at - trace[i - 1]!.at);
  const delay = Math.max(10, Math.ceil(10 * gap));
  const streams0 = streamSet(trace);
  for (let i = 0; i < trace.length; i++) {
    const { stream, k } = trace[i]!;
    const name = `delay@${i}(=${stream}:${k})`;
    o.log?.(`=== ${name}: ${delay} ms`);
    const r = await runOnce(fn, o, { stream, k, delay }, frames);
    const head = `verify: run ${name} failed (delay ${delay} ms):`;
    if (r.failure !== null) {
      const f = r.failure;
      if (f.report !== null) throw makeError(`${head}\n${f.report}`, f.frames);
      const e = makeError(`${head}\n${errorText(f.thrown)}`, framesOf(f.thrown) || frames);
      (e as { cause?: unknown }).cause = f.thrown;
      throw e;
    }
    const streams = streamSet(r.trace);
    if (streams !== streams0) {
      throw makeError(`${head}\nstreams are not the same as in the first run:\nfirst: ${streams0}\nnow:   ${streams}`, frames);
    }
  }
}

interface Resolved {
  readonly deadTime: number;
  readonly log: ((line: string) => void) | null;
}

function resolveOptions(opts: TracetestOptions | undefined): Resolved {
  const deadTime = opts?.deadTime ?? 3000;
  if (typeof deadTime !== "number" || !(deadTime > 0) || !Number.isFinite(deadTime)) {
    throw new TypeError(`tracetest: deadTime must be a positive number of milliseconds, not ${describe(deadTime)}`);
  }
  const v = opts?.verbose;
  const log = typeof v === "function" ? v : v ? (line: string) => console.log(`tracetest: ${line}`) : null;
  return { deadTime, log };
}

async function runOnce(fn: (t: T) => unknown, o: Resolved, inject: Injection | null, frames: string): Promise<RunResult> {
  const t = new T(o.deadTime, o.log, inject, frames);
  let threw = false;
  let thrown: unknown;
  // the body may be abandoned after a failure: its rejection is observed here, never left unhandled
  const body = (async () => fn(t))().then(
    () => {},
    (e: unknown) => {
      threw = true;
      thrown = e;
    },
  );
  await Promise.race([body, t.failed]);
  if (t.failure === null) {
    if (threw) t.abort(thrown);
    else await t.shutdown();
  }
  t.close();
  return { trace: t.trace, failure: t.failure };
}

function streamSet(trace: readonly TraceEntry[]): string {
  return [...new Set(trace.map((e) => e.stream))].sort().join(", ");
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : describe(e);
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(errorText(e));
}

function makeError(message: string, frames: string): Error {
  const e = new Error(message);
  if (frames !== "") e.stack = `Error: ${message}\n${frames}`;
  return e;
}

// The frames of the current stack above `above`: where the test called us.
// V8 can cut the stack there; other engines keep our own frames on top.
function callerFrames(above: Function): string {
  const holder: { stack?: string } = {};
  const capture = (Error as { captureStackTrace?: (o: object, f?: Function) => void }).captureStackTrace;
  if (capture) capture(holder, above);
  else holder.stack = new Error().stack ?? "";
  return framesOf(holder);
}

function framesOf(e: unknown): string {
  const stack = (e as { stack?: unknown } | null)?.stack;
  if (typeof stack !== "string") return "";
  const lines = stack.split("\n");
  // V8 puts "Name: message" (possibly several lines) before "    at" frames;
  // Firefox and Safari list "fn@url:line:col" frames only
  let first = lines.findIndex((l) => /^\s+at /.test(l));
  if (first < 0) first = lines.findIndex((l) => /^[^\s]*@\S+:\d+:\d+$/.test(l));
  return first < 0 ? "" : lines.slice(first).join("\n");
}
