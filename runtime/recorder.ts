// The recorder: attaches to event patterns and keeps what fires in a ring buffer,
// for Perfetto (Chrome Trace Event Format) and Chrome DevTools.
//
// An observer never changes what it observes: the probe returns nothing (so no
// trace call turns into an await), catches everything it could throw and counts
// it in `failures`, and never calls user code except the span `key` and `taskOf`
// functions the user gave it. The buffer is bounded; when full the oldest event is
// overwritten and counted in `dropped`, flight-recorder style.
//
// The per-event cost is kept to the snapshot: the buffer is parallel arrays, not an
// object per event. Up to four arguments that are primitives (short strings
// included) or flat plain objects (a few own data properties holding such
// primitives) are their own snapshot: their values, and for an object its key
// list (shared while the keys stay the same), are copied into a preallocated array
// (small integers allocate nothing there) and serialised only when read, through
// the same serialiser, so the output is the same. Anything else is serialised at
// fire time, as it was then. What the buffer holds survives young-generation GCs,
// so an object per event costs far more than its allocation. Events of up to four
// parameters reach the recorder with their arguments one by one (`attachFew`), so
// an event of primitives allocates nothing at all; the argument array is made
// only for what needs one (a serialiser, `taskOf`, a span's `key`).

import { ProbeGroup, attachFew, setup, type Tracepoint } from "./tracing.ts";
import { serializeArgs, type Json, type SerializeOptions } from "./serialize.ts";
import { currentTask, newTask, task, type Task } from "./tasks.ts";
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
  /**
   * Names the task of an event from its arguments, when they know it better than
   * the async context does (a job run by a queue's worker loop belongs to whoever
   * enqueued it). Return a name to put the event on that task's track (one track
   * per name), or undefined for the current task. Called at fire time.
   */
  taskOf?: (event: { readonly package: string; readonly name: string }, args: readonly unknown[]) => string | undefined;
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
  // the ring: slot i holds one event across these arrays
  readonly #time: Float64Array;
  readonly #tp: (Tracepoint | undefined)[];
  /** the serialised arguments, unless they are kept raw in #vals */
  readonly #args: ({ [key: string]: Json } | undefined)[];
  /** raw arguments, SLOTS per event (see `#inline`); #raw[i] is their count + 1, 0 when serialised */
  readonly #vals: unknown[];
  readonly #raw: Uint8Array;
  readonly #task: (Task | undefined)[];
  /** events made at fire time: span halves (an end points at its begin) and mirrored ones */
  readonly #made: (RecordedEvent | undefined)[];
  #head = 0;
  #count = 0;
  #open = 0;
  #pg: ProbeGroup | null = null;
  readonly #spans: { begin: string; end: string; span: CompiledSpan }[];
  readonly #info = new WeakMap<Tracepoint, EventInfo>();
  #lastTp: Tracepoint | null = null;
  #lastInfo: EventInfo | null = null;
  /** `performance`, read once at start: Node's global is an accessor (about 25 ns an event here). */
  #clock: { now(): number } = globalThis.performance;
  readonly #maxString: number;
  readonly #taskOf: RecorderOptions["taskOf"];
  readonly #named = new Map<string, Task>();
  readonly #mirror: Mirror | null;
  readonly #ser: SerializeOptions | undefined;
  readonly #processName: string;
  /** the last key list of a flat object argument: shared by the events whose keys are the same */
  #keys: string[] = [];

  constructor(options: RecorderOptions) {
    const patterns = typeof options?.patterns === "string" ? [options.patterns] : [...(options?.patterns ?? [])];
    if (patterns.length === 0) throw new TypeError("unplugin-tracing/recorder: options.patterns must name at least one pattern");
    const size = options.bufferSize ?? 100_000;
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`unplugin-tracing/recorder: options.bufferSize must be a positive integer, got ${size}`);
    this.#size = size;
    this.#time = new Float64Array(size);
    this.#tp = new Array(size);
    this.#args = new Array(size);
    this.#vals = new Array(size * SLOTS).fill(undefined);
    this.#raw = new Uint8Array(size);
    this.#task = new Array(size);
    this.#made = new Array(size);
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
    this.#maxString = options.serialize?.maxString ?? 200;
    if (options.taskOf !== undefined && typeof options.taskOf !== "function") throw new TypeError("unplugin-tracing/recorder: options.taskOf must be a function");
    this.#taskOf = options.taskOf;
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
    this.#clock = globalThis.performance;
    // One attach for all patterns: a tracepoint several of them match is recorded once.
    setup(() =>
      attachFew(
        this.#patterns,
        (tp, args) => this.#record(tp, args.length, args, undefined, undefined, undefined, undefined),
        (tp, n, a0, a1, a2, a3) => this.#record(tp, n, null, a0, a1, a2, a3),
        pg,
      ),
    );
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
    for (let i = 0; i < this.#count; i++) out.push(this.#eventAt((start + i) % this.#size));
    return out;
  }

  /** Forgets the recorded events and the counters; stays attached if it was. */
  clear(): void {
    this.#tp.fill(undefined);
    this.#args.fill(undefined);
    this.#vals.fill(undefined);
    this.#task.fill(undefined);
    this.#made.fill(undefined);
    this.#named.clear();
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

  /**
   * One event of `n` arguments: one by one (`args` null, `n` at most FEW_ARGS),
   * or as the array `args`.
   */
  #record(tp: Tracepoint, n: number, args: unknown[] | null, a0: unknown, a1: unknown, a2: unknown, a3: unknown): void {
    try {
      const time = this.#clock.now();
      let info = this.#lastInfo;
      if (this.#lastTp !== tp || info === null) info = this.#infoOf(tp);
      const i = this.#head;
      if (this.#count === this.#size) this.dropped++;
      else this.#count++;
      this.#head = i + 1 === this.#size ? 0 : i + 1;
      this.#time[i] = time;
      this.#tp[i] = tp;
      this.#task[i] = this.#taskOf === undefined ? currentTask() : this.#taskFor(tp, args ?? argsOf(n, a0, a1, a2, a3));
      if (args === null && this.#inline(n, i * SLOTS, a0, a1, a2, a3)) {
        this.#args[i] = undefined;
        this.#raw[i] = n + 1;
      } else {
        this.#args[i] = serializeArgs(args ?? argsOf(n, a0, a1, a2, a3), info.names, this.#ser);
        this.#raw[i] = 0;
      }
      this.#made[i] = undefined;
      if (info.roles.length === 0 && this.#mirror === null) return;
      const e = this.#eventAt(i);
      this.#made[i] = e;
      if (info.roles.length !== 0) {
        const list = args ?? argsOf(n, a0, a1, a2, a3);
        for (const role of info.roles) this.#pair(role, e, list);
      }
      if (this.#mirror !== null) this.#mirror.event(e);
    } catch {
      this.failures++;
    }
  }

  /** The event in ring slot `i`, made now unless it was made at fire time. */
  #eventAt(i: number): RecordedEvent {
    const made = this.#made[i];
    if (made !== undefined) return made;
    const tp = this.#tp[i]!;
    const raw = this.#raw[i]!;
    return {
      time: this.#time[i]!,
      package: tp.package,
      name: tp.name,
      args: raw === 0 ? this.#args[i]! : serializeArgs(inlined(this.#vals, i * SLOTS, raw - 1), this.#infoOf(tp).names, this.#ser),
      task: this.#task[i]!,
    };
  }

  /**
   * Copies an event's `n` arguments (at most FEW_ARGS, one by one) into the slab
   * at `at` when they are their own snapshot: a primitive takes one slot, a flat
   * plain object its key list (an array: no primitive is one) and then one slot
   * per value. Returns false, with the slots left to be overwritten, when they are
   * not; they are then serialised now. Reads only own data properties, as the
   * serialiser does: a getter, a nested object, a long string or a throwing proxy
   * trap sends the event to it.
   */
  #inline(n: number, at: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown): boolean {
    const end = at + SLOTS;
    let k = at;
    if (n > 0 && (k = this.#put(a0, k, end)) < 0) return false;
    if (n > 1 && (k = this.#put(a1, k, end)) < 0) return false;
    if (n > 2 && (k = this.#put(a2, k, end)) < 0) return false;
    if (n > 3 && (k = this.#put(a3, k, end)) < 0) return false;
    return true;
  }

  /** Stores one argument from slot `k` (see `#inline`); the next free slot, or -1 when it does not fit before `end`. */
  #put(v: unknown, k: number, end: number): number {
    const vals = this.#vals;
    // The event's slots end at `end`: past it are the next event's.
    if (k === end) return -1;
    if (!isObject(v)) {
      if (typeof v === "string" && v.length > this.#maxString) return -1;
      vals[k] = v;
      return k + 1;
    }
    const next = flat(v, vals, k, end, this.#maxString, this.#keys);
    if (next >= 0) this.#keys = vals[k] as string[];
    return next;
  }

  #taskFor(tp: Tracepoint, args: unknown[]): Task {
    let name: unknown;
    try {
      name = this.#taskOf!(tp, args);
    } catch {
      this.failures++;
    }
    if (typeof name !== "string") return currentTask();
    let t = this.#named.get(name);
    if (t === undefined) this.#named.set(name, (t = newTask(name)));
    return t;
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
    this.#lastTp = tp;
    this.#lastInfo = info;
    return info;
  }
}

/** Slab slots per event: arguments, and an object argument's key list and values. */
const SLOTS = 6;
/** Own keys of an object argument kept raw; more are serialised at fire time. */
const OBJECT_KEYS = 4;

const { getPrototypeOf, getOwnPropertyDescriptor } = Object;

const isObject = (v: unknown): v is object => v !== null && (typeof v === "object" || typeof v === "function");

/**
 * Stores a flat plain object from slot `k`: its key list (own enumerable string
 * keys in order, as the serialiser reads them) and then its values. The key list
 * is `last` when the keys are the same, so equal lists are not kept per event.
 * Returns the next free slot, or -1 when the object is not flat, does not fit
 * before `end`, or a proxy trap throws.
 */
function flat(v: object, vals: unknown[], k: number, end: number, max: number, last: string[]): number {
  try {
    const proto = getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return -1;
    const at = k++;
    let n = 0;
    let ks: string[] | null = null;
    // for-in (V8 caches the keys per object shape; Object.keys makes an array per
    // call): own keys first, then enumerable inherited ones, which have no own
    // descriptor below.
    for (const key in v) {
      if (n === OBJECT_KEYS || k === end || key.length > max) return -1;
      const d = getOwnPropertyDescriptor(v, key);
      if (d === undefined || !("value" in d)) return -1;
      const x = d.value;
      if (isObject(x) || (typeof x === "string" && x.length > max)) return -1;
      vals[k++] = x;
      if (ks === null && last[n] !== key) ks = last.slice(0, n);
      if (ks !== null) ks.push(key);
      n++;
    }
    vals[at] = ks !== null ? ks : n === last.length ? last : last.slice(0, n);
    return k;
  } catch {
    return -1;
  }
}

/**
 * The arguments `#inline` stored from `at`: primitives as they were, each flat
 * object rebuilt (without a prototype, which the serialiser treats like a plain
 * object's) from its key list and values.
 */
function inlined(vals: unknown[], at: number, count: number): unknown[] {
  const out: unknown[] = [];
  let k = at;
  for (let j = 0; j < count; j++) {
    const v = vals[k++];
    if (!Array.isArray(v)) {
      out.push(v);
      continue;
    }
    const o: Record<string, unknown> = Object.create(null);
    for (const key of v as string[]) o[key] = vals[k++];
    out.push(o);
  }
  return out;
}

/** The argument array of an event of `n` (at most FEW_ARGS) parameters, made when something needs one. */
function argsOf(n: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown): unknown[] {
  return n === 0 ? [] : n === 1 ? [a0] : n === 2 ? [a0, a1] : n === 3 ? [a0, a1, a2] : [a0, a1, a2, a3];
}

function eventOf(full: string): string {
  const i = full.lastIndexOf(":");
  return i < 0 ? full : full.slice(i + 1);
}
