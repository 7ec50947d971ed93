// The contract of `unplugin-tracing/tracetest` that is not code: its options and
// the shapes tests handle. The internal records at the
// bottom pass between the run drivers and `T`.

/** Options of `run` and `verify`. */
export interface TracetestOptions {
  /**
   * How long `expect` waits for an event, and a producer for its acknowledgement,
   * before the test fails as deadlocked, in milliseconds: more than 0, at most
   * 2147483647 (what `setTimeout` can wait).
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

/** @internal A delay `verify` injects before the k-th event of one stream. */
export interface Injection {
  readonly stream: string;
  readonly k: number;
  readonly delay: number;
}

/** @internal One delivered event, as `verify` remembers it. */
export interface TraceEntry {
  readonly stream: string;
  readonly k: number;
  readonly at: number;
}

/** @internal How a run failed. */
export interface Failure {
  /** what the test threw: our report Error, or the user's own error */
  readonly thrown: unknown;
  /** our report, or null when the failure is the user's own error */
  readonly report: string | null;
  readonly frames: string;
}
