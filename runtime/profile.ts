// The event profile: where events come from. Each event's stack is captured and
// identical stacks counted; the result is a pprof profile (sample type
// events/count) that `go tool pprof`, the pprof web UI and Perfetto open.
//
// Like the recorder it only observes: the probe returns nothing, its failures are
// counted, and the number of distinct stacks is bounded (events beyond it are
// counted in `dropped`). Raw positions are counted; source mapping happens once
// per frame at export.

import { Function as PFunction, Label, Line, Location, Profile, Sample, StringTable, ValueType } from "pprof-format";
import { ProbeGroup, attach, setup, type Tracepoint } from "./tracing.ts";
import { captureStack, displayFile, nodeSourceMapper, type FrameMapper, type StackFrame } from "./stacks.ts";
import { gzip, writeFileAt } from "./host.ts";

export type { StackFrame, FrameMapper } from "./stacks.ts";

/** Options of `new EventProfile()`. */
export interface EventProfileOptions {
  /** Event patterns as `attach()` takes them: `"src/net:*"`, `"*:traceConn*"`. */
  patterns: string | readonly string[];
  /** Frames kept per stack, from the trace call outwards. @default 64 */
  maxFrames?: number;
  /** Distinct stacks kept; events with a new stack beyond it are counted in `dropped`. @default 10_000 */
  maxStacks?: number;
  /**
   * Maps raw frames to source positions. Default: Node's source maps when Node runs
   * with --enable-source-maps; otherwise positions are those of the running code.
   */
  mapFrame?: FrameMapper;
  /** Put the event itself (`package:event`, at its declaration) as the leaf frame. @default true */
  eventFrames?: boolean;
}

/** A distinct stack and how many events it signalled. Frames are leaf first. */
export interface StackCount {
  /** `package:event` */
  readonly event: string;
  /** Where the event is declared, `file:line:column`. */
  readonly location: string;
  readonly frames: readonly StackFrame[];
  count: number;
}

/** Counts the stacks events fire from; see `EventProfileOptions`. */
export class EventProfile {
  /** Events seen. */
  events = 0;
  /** Events not counted because `maxStacks` distinct stacks were already kept. */
  dropped = 0;
  /** The profiler's own failures. Never thrown. */
  failures = 0;
  readonly #patterns: string[];
  readonly #maxFrames: number;
  readonly #maxStacks: number;
  readonly #mapFrame: FrameMapper | null | undefined;
  readonly #eventFrames: boolean;
  readonly #stacks = new Map<string, StackCount>();
  #pg: ProbeGroup | null = null;
  #startWall = 0;
  #startMono = 0;
  #stopMono = 0;

  constructor(options: EventProfileOptions) {
    const patterns = typeof options?.patterns === "string" ? [options.patterns] : [...(options?.patterns ?? [])];
    if (patterns.length === 0) throw new TypeError("unplugin-tracing/profile: options.patterns must name at least one pattern");
    this.#patterns = patterns;
    this.#maxFrames = options.maxFrames ?? 64;
    this.#maxStacks = options.maxStacks ?? 10_000;
    this.#mapFrame = options.mapFrame;
    this.#eventFrames = options.eventFrames ?? true;
  }

  /** Whether probes are attached. */
  get profiling(): boolean {
    return this.#pg !== null;
  }

  /** Attaches to the patterns. Takes the lock. */
  start(): this {
    if (this.#pg !== null) return this;
    const pg = new ProbeGroup();
    // One attach for all patterns: a tracepoint several of them match is counted once.
    const probe = (tp: Tracepoint): void => this.#count(tp, probe);
    setup(() => attach(this.#patterns, probe, pg));
    if (this.#startWall === 0) {
      this.#startWall = Date.now();
      this.#startMono = performance.now();
    }
    this.#stopMono = 0;
    this.#pg = pg;
    return this;
  }

  /** Detaches; the counts stay. Takes the lock. */
  stop(): this {
    const pg = this.#pg;
    if (pg === null) return this;
    pg.done();
    this.#pg = null;
    this.#stopMono = performance.now();
    return this;
  }

  /** Forgets the counts. */
  clear(): void {
    this.#stacks.clear();
    this.events = this.dropped = this.failures = 0;
    this.#startWall = this.#pg === null ? 0 : Date.now();
    this.#startMono = performance.now();
  }

  /** The distinct stacks counted so far (raw positions, not source-mapped). */
  stacks(): StackCount[] {
    return [...this.#stacks.values()];
  }

  /** The profile as a `pprof-format` object, source-mapped. */
  toProfile(): Profile {
    return buildProfile(this.stacks(), {
      mapFrame: this.#mapFrame === undefined ? nodeSourceMapper() : this.#mapFrame,
      eventFrames: this.#eventFrames,
      startWall: this.#startWall || Date.now(),
      durationMs: (this.#stopMono || performance.now()) - (this.#startMono || performance.now()),
    });
  }

  /** The gzipped protobuf bytes of the profile (a `.pb.gz` file). */
  async toBytes(): Promise<Uint8Array> {
    return gzip(this.toProfile().encode());
  }

  /** The profile as a Blob (browsers: download it as `events.pb.gz`). */
  async toBlob(): Promise<Blob> {
    return new Blob([(await this.toBytes()) as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" });
  }

  /** Writes the gzipped profile to `path` (Node). Read it with `go tool pprof`. */
  async writeFile(path: string): Promise<void> {
    await writeFileAt(path, await this.toBytes(), "profile");
  }

  #count(tp: Tracepoint, probe: Function): void {
    try {
      this.events++;
      const event = `${tp.package}:${tp.name}`;
      const frames = captureStack(probe, tp.name, this.#maxFrames);
      let key = event;
      for (const f of frames) key += `\n${f.functionName}\t${f.file}\t${f.line}\t${f.column}`;
      const s = this.#stacks.get(key);
      if (s !== undefined) s.count++;
      else if (this.#stacks.size >= this.#maxStacks) this.dropped++;
      else this.#stacks.set(key, { event, location: tp.location, frames, count: 1 });
    } catch {
      this.failures++;
    }
  }
}

export interface BuildOptions {
  mapFrame: FrameMapper | null;
  eventFrames: boolean;
  startWall: number;
  durationMs: number;
}

/**
 * Stacks -> pprof: one function per name and file, one location per position, one sample per stack.
 * @internal Exported for the dev server, which encodes the stacks a page sends.
 */
export function buildProfile(stacks: readonly StackCount[], o: BuildOptions): Profile {
  const st = new StringTable();
  const functions = new Map<string, PFunction>();
  const locations = new Map<string, Location>();
  const samples: Sample[] = [];
  const mapped = new Map<string, StackFrame>();
  const eventKey = st.dedup("event");

  const map = (f: StackFrame): StackFrame => {
    if (o.mapFrame === null) return f;
    const k = `${f.file}\t${f.line}\t${f.column}\t${f.functionName}`;
    let m = mapped.get(k);
    if (m === undefined) {
      try {
        m = checkedFrame(o.mapFrame(f), f);
      } catch {
        m = f;
      }
      mapped.set(k, m);
    }
    return m;
  };
  const locationOf = (f: StackFrame): number => {
    const file = displayFile(f.file);
    const fk = `${f.functionName}\t${file}`;
    let fn = functions.get(fk);
    if (fn === undefined) {
      fn = new PFunction({ id: functions.size + 1, name: st.dedup(f.functionName), systemName: st.dedup(f.functionName), filename: st.dedup(file) });
      functions.set(fk, fn);
    }
    const lk = `${fn.id}\t${f.line}\t${f.column}`;
    let loc = locations.get(lk);
    if (loc === undefined) {
      loc = new Location({ id: locations.size + 1, line: [new Line({ functionId: fn.id, line: f.line, column: f.column })] });
      locations.set(lk, loc);
    }
    return Number(loc.id);
  };

  for (const s of stacks) {
    const ids: number[] = [];
    if (o.eventFrames) ids.push(locationOf({ functionName: s.event, ...declaredAt(s.location) }));
    for (const f of s.frames) ids.push(locationOf(map(f)));
    samples.push(new Sample({ locationId: ids, value: [s.count], label: [new Label({ key: eventKey, str: st.dedup(s.event) })] }));
  }
  const type = new ValueType({ type: st.dedup("events"), unit: st.dedup("count") });
  return new Profile({
    sampleType: [type],
    periodType: new ValueType({ type: type.type, unit: type.unit }),
    period: 1,
    sample: samples,
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: st,
    timeNanos: BigInt(Math.round(o.startWall)) * 1_000_000n,
    durationNanos: BigInt(Math.max(0, Math.round(o.durationMs * 1e6))),
  });
}

/**
 * What a user's `mapFrame` returned, made a frame: fields of the wrong type (a
 * `file: null` from a source map without sources) keep the original's value.
 */
function checkedFrame(m: unknown, f: StackFrame): StackFrame {
  if (m === null || typeof m !== "object") return f;
  const r = m as Partial<Record<keyof StackFrame, unknown>>;
  const text = (v: unknown, d: string) => (typeof v === "string" ? v : d);
  const num = (v: unknown, d: number) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : d);
  return { functionName: text(r.functionName, f.functionName), file: text(r.file, f.file), line: num(r.line, f.line), column: num(r.column, f.column) };
}

/** `file:line:column` -> its parts (the file may itself contain colons). */
function declaredAt(location: string): { file: string; line: number; column: number } {
  const m = /^(.*):(\d+):(\d+)$/.exec(location);
  return m ? { file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : { file: location, line: 0, column: 0 };
}
