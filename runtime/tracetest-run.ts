// The drivers of tracetest: `run` runs a test function once, `verify` reruns it
// with one event delayed at a time, so an order that only held by luck fails.

import { describe } from "./tracetest-compare.ts";
import { callerFrames, errorText, framesOf, makeError } from "./tracetest-report.ts";
import { T } from "./tracetest-t.ts";
import type { Failure, Injection, TraceEntry, TracetestOptions } from "./tracetest-types.ts";

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
  const delay = Math.min(MAX_TIMEOUT, Math.max(10, Math.ceil(10 * gap)));
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

/** The longest wait `setTimeout` keeps: larger delays fire at once. */
const MAX_TIMEOUT = 2 ** 31 - 1;

function resolveOptions(opts: TracetestOptions | undefined): Resolved {
  const deadTime = opts?.deadTime ?? 3000;
  if (typeof deadTime !== "number" || !(deadTime > 0) || !Number.isFinite(deadTime)) {
    throw new TypeError(`tracetest: deadTime must be a positive number of milliseconds, not ${describe(deadTime)}`);
  }
  if (deadTime > MAX_TIMEOUT) {
    throw new RangeError(`tracetest: deadTime must be at most ${MAX_TIMEOUT} ms (about 24.8 days), what setTimeout can wait; ${deadTime} would fire at once`);
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
  // whatever happens in here, the run ends with its producers let go and t.pg done
  try {
    await Promise.race([body, t.failed]);
    if (t.failure === null) {
      if (threw) t.abort(thrown);
      else await t.shutdown();
    }
  } catch (e) {
    t.abort(e);
  } finally {
    t.close();
  }
  return { trace: t.trace, failure: t.failure };
}

function streamSet(trace: readonly TraceEntry[]): string {
  return [...new Set(trace.map((e) => e.stream))].sort().join(", ");
}
