// The recorder: attaches to event patterns and keeps what fires in a ring buffer,
// for Perfetto (Chrome Trace Event Format) and Chrome DevTools.
//
// An observer never changes what it observes: the probe returns nothing (so no
// trace call turns into an await), catches everything it could throw and counts
// it in `failures`, and never calls user code except the span `key` functions the
// user gave it. The buffer is bounded; when full the oldest event is overwritten
// and counted in `dropped`, flight-recorder style.

import { ProbeGroup, attach, setup, type Tracepoint } from "./tracing.ts";
import { serializeArgs, type SerializeOptions } from "./serialize.ts";
import { currentTask, task } from "./tasks.ts";
import { toTraceFile, type RecordedEvent, type TraceFile } from "./trace-events.ts";
import { createMirror, type DevtoolsOptions, type Mirror } from "./devtools.ts";
import { writeFileAt } from "./host.ts";

export { task, currentTask, tasksSupported, MAIN_TASK, type Task } from "./tasks.ts";
export type { RecordedEvent, TraceEvent, TraceFile } from "./trace-events.ts";
export type { DevtoolsOptions } from "./devtools.ts";
export type { Json, SerializeOptions } from "./serialize.ts";

/** A pair of events recorded as one slice, from `begin` to `end`. */
export interface SpanSpec {
  /** The event that opens the span, `package:event`, e.g. `"src/net:traceConnStart"`. */
  begin: string;
  /** The event that closes it. */
  end: string;
  /** The slice's name. @default "<begin event> → <end event>" */
  name?: string;
  /**
   * Pairs a begin with its end: both give the same key from their arguments.
   * Without it, an end closes the latest open begin of the same task.
   */
  key?: (args: unknown[]) => unknown;
}

/** Options of `new Recorder()`. */
export interface RecorderOptions {
  /** Event patterns as `attach()` takes them: `"src/net:*"`, `"*:traceConn*"`. */
  patterns: string | readonly string[];
  /** Events kept; the oldest are overwritten beyond it. @default 100_000 */
  bufferSize?: number;
  /** Mirror events into `performance.mark`/`measure` for Chrome DevTools. @default false */
  devtools?: boolean | DevtoolsOptions;
  /** Pairs of events that become slices. Their events are recorded even if no pattern names them. */
  spans?: readonly SpanSpec[];
  /** Bounds of argument serialisation. */
  serialize?: SerializeOptions;
  /** Name of the process in the trace. @default "unplugin-tracing" */
  processName?: string;
}

interface Role {
  readonly span: CompiledSpan;
  readonly begin: boolean;
}

interface CompiledSpan {
  readonly name: string;
  readonly key: ((args: unknown[]) => unknown) | undefined;
  /** open begin events by key, latest last */
  readonly open: Map<unknown, RecordedEvent[]>;
}

interface EventInfo {
  readonly names: string[];
  readonly roles: Role[];
}

/** Records events matching patterns; see `RecorderOptions`. */
export class Recorder {
  /** Events overwritten because the buffer was full. */
  dropped = 0;
  /** The recorder's own failures (a serialiser, mirror or span key that threw). Never thrown. */
  failures = 0;
  readonly #patterns: string[];
  readonly #size: number;
  readonly #buf: (RecordedEvent | undefined)[];
  #head = 0;
  #count = 0;
  #open = 0;
  #pg: ProbeGroup | null = null;
  readonly #spans: { begin: string; end: string; span: CompiledSpan }[];
  readonly #info = new WeakMap<Tracepoint, EventInfo>();
  readonly #mirror: Mirror | null;
  readonly #ser: SerializeOptions | undefined;
  readonly #processName: string;

  constructor(options: RecorderOptions) {
    const patterns = typeof options?.patterns === "string" ? [options.patterns] : [...(options?.patterns ?? [])];
    if (patterns.length === 0) throw new TypeError("unplugin-tracing/recorder: options.patterns must name at least one pattern");
    const size = options.bufferSize ?? 100_000;
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`unplugin-tracing/recorder: options.bufferSize must be a positive integer, got ${size}`);
    this.#size = size;
    this.#buf = new Array(size);
    this.#spans = (options.spans ?? []).map((s) => ({
      begin: s.begin,
      end: s.end,
      span: { name: s.name ?? `${eventOf(s.begin)} → ${eventOf(s.end)}`, key: s.key, open: new Map() },
    }));
    // Span events are attached by exact name, after the patterns, so they are recorded once.
    for (const s of this.#spans) for (const n of [s.begin, s.end]) if (!patterns.includes(n)) patterns.push(n);
    this.#patterns = patterns;
    const dt = options.devtools;
    this.#mirror = dt ? createMirror(dt === true ? {} : dt) : null;
    this.#ser = options.serialize;
    this.#processName = options.processName ?? "unplugin-tracing";
  }

  /** Whether probes are attached. */
  get recording(): boolean {
    return this.#pg !== null;
  }

  /** Attaches to the patterns; events fire into the buffer from now on. Takes the lock. */
  start(): this {
    if (this.#pg !== null) return this;
    const pg = new ProbeGroup();
    // One attach for all patterns: a tracepoint several of them match is recorded once.
    setup(() => attach(this.#patterns, (tp, args) => this.#record(performance.now(), tp, args), pg));
    this.#pg = pg;
    return this;
  }

  /** Detaches; the recorded events stay. Takes the lock. */
  stop(): this {
    const pg = this.#pg;
    if (pg === null) return this;
    pg.done();
    this.#pg = null;
    return this;
  }

  /** Runs `fn` as a named task (see `task`); its events go on their own track. */
  task<R>(name: string, fn: () => R): R {
    return task(name, fn);
  }

  /** The recorded events, oldest first. */
  events(): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    const start = (this.#head - this.#count + this.#size) % this.#size;
    for (let i = 0; i < this.#count; i++) out.push(this.#buf[(start + i) % this.#size]!);
    return out;
  }

  /** Forgets the recorded events and the counters; stays attached if it was. */
  clear(): void {
    this.#buf.fill(undefined);
    this.#head = this.#count = this.#open = this.dropped = this.failures = 0;
    for (const s of this.#spans) s.span.open.clear();
  }

  /** The recording in Chrome Trace Event Format: `{ traceEvents: [...] }`. */
  toTraceEvents(): TraceFile {
    return toTraceFile(this.events(), { processName: this.#processName, dropped: this.dropped, failures: this.failures });
  }

  /** The trace as a JSON Blob (browsers: download it, or hand it to Perfetto UI). */
  toBlob(): Blob {
    return new Blob([JSON.stringify(this.toTraceEvents())], { type: "application/json" });
  }

  /** Writes the trace as JSON to `path` (Node). Open it in https://ui.perfetto.dev. */
  async writeFile(path: string): Promise<void> {
    await writeFileAt(path, JSON.stringify(this.toTraceEvents()), "recorder");
  }

  #record(time: number, tp: Tracepoint, args: unknown[]): void {
    try {
      const info = this.#infoOf(tp);
      const e: RecordedEvent = {
        time,
        package: tp.package,
        name: tp.name,
        args: serializeArgs(args, info.names, this.#ser),
        task: currentTask(),
      };
      for (const role of info.roles) this.#pair(role, e, args);
      if (this.#count === this.#size) this.dropped++;
      else this.#count++;
      this.#buf[this.#head] = e;
      this.#head = (this.#head + 1) % this.#size;
      if (this.#mirror !== null) this.#mirror.event(e);
    } catch {
      this.failures++;
    }
  }

  /** Opens or closes a span; a key function that throws leaves the event unpaired. */
  #pair(role: Role, e: RecordedEvent, args: unknown[]): void {
    const s = role.span;
    let key: unknown;
    try {
      key = s.key === undefined ? e.task.id : s.key(args);
    } catch {
      this.failures++;
      return;
    }
    const stack = s.open.get(key);
    if (role.begin) {
      // Begins that never end must not grow without bound either.
      if (this.#open >= this.#size) return;
      this.#open++;
      if (stack === undefined) s.open.set(key, [e]);
      else stack.push(e);
      return;
    }
    const b = stack?.pop();
    if (b === undefined) return;
    this.#open--;
    if (stack!.length === 0) s.open.delete(key);
    e.span = { name: s.name, begin: b };
    if (this.#mirror !== null) {
      try {
        this.#mirror.span(s.name, b, e);
      } catch {
        this.failures++;
      }
    }
  }

  #infoOf(tp: Tracepoint): EventInfo {
    let info = this.#info.get(tp);
    if (info === undefined) {
      const full = `${tp.package}:${tp.name}`;
      const roles: Role[] = [];
      for (const s of this.#spans) {
        if (s.begin === full) roles.push({ span: s.span, begin: true });
        if (s.end === full) roles.push({ span: s.span, begin: false });
      }
      info = { names: tp.params.map((p) => p.name), roles };
      this.#info.set(tp, info);
    }
    return info;
  }
}

function eventOf(full: string): string {
  const i = full.lastIndexOf(":");
  return i < 0 ? full : full.slice(i + 1);
}
