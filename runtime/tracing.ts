// The tracepoint registry, probes and the lock: the hot path of unplugin-tracing.
//
// What V8 must be able to fold. A trace call site is generated as
//   (tp.p !== null ? tp.fire(a, b) : void 0)
// where `tp` is a module-level binding and every tracepoint is the only instance
// of a class of its own (the generated subclass of `Tracepoint`). Bundlers turn
// top-level `const` into `var`, so V8 cannot treat `tp` as a constant, and a field
// of the instance would cost a load and a compare per idle call (+0.2-0.4 ns,
// bench/). So `p` lives on that class's prototype: V8 reaches it through the
// instance's map, and until a probe is first attached it is a constant field of a
// known object, folded to `null` like diagnostics_channel's `hasSubscribers`
// getter, leaving one map check. The first attach makes the field mutable (one
// deoptimisation of the callers); after that it is a plain load from a known
// object. No argument is evaluated and nothing is allocated unless a probe is
// attached.
//
// Edits that break this: `p` as an instance field (a class field initialiser), a
// `p` shared by several tracepoints, rest parameters or `apply` in `fire`, checks
// or calls placed before the idle test, or writing `p` when nothing changed.
//
// This file imports only pattern.ts (the glob matcher, which imports nothing). Its
// state lives on `globalThis` under a registered symbol, so a runtime bundled twice
// (duplicate chunks, HMR) shares one registry.

import { compilePattern, compilePatterns } from "./pattern.ts";

/** Misuse of the tracing API: attach outside the lock, lock twice, and the like. */
export class TracingError extends Error {
  override name = "TracingError";
}

/** A probe function attached to one event; it gets the event's arguments. */
export type ProbeFn = (...args: any[]) => unknown;

/** One parameter of an event: its name and the text of its type. */
export interface ParamInfo {
  readonly name: string;
  readonly type: string;
  readonly optional?: boolean;
}

/** A probe attached to a tracepoint. */
export class Probe {
  /** @internal true while this probe is live (set at unlock). Read in `fire`. */
  on = false;
  /** @internal */ detached = false;
  /** @internal */ group: ProbeGroup | null = null;
  /** @internal */ readonly tp: Tracepoint | null;
  /** @internal */ readonly fn: ProbeFn;
  /** @internal pattern attach this probe belongs to, if any */ owner: PatternProbe | null = null;

  /** @internal */
  constructor(tp: Tracepoint | null, fn: ProbeFn) {
    this.tp = tp;
    this.fn = fn;
  }

  /** Detaches the probe from its tracepoint. Idempotent. Must be called under the lock. */
  detach(): void {
    requireLock("Probe.detach");
    detachProbe(this);
  }

  /** The next probe attached to the same tracepoint, or null. Safe at any time. */
  next(): Probe | null {
    const live = this.tp?.p;
    if (!live) return null;
    const i = live.indexOf(this);
    return i >= 0 && i + 1 < live.length ? live[i + 1]! : null;
  }
}

/**
 * A group of probes, detached all at once by `done()`.
 * Add to it under the lock; call `done()` outside the lock.
 */
export class ProbeGroup {
  /** @internal */ probes: Array<Probe | PatternProbe> = [];

  /** Adds a probe (or a pattern attach) to the group. Must be called under the lock. */
  add(probe: Probe | PatternProbe): void {
    requireLock("ProbeGroup.add");
    if (probe.group === this) return;
    if (probe.group !== null) throw new TracingError("ProbeGroup.add: probe already belongs to another group");
    probe.group = this;
    this.probes.push(probe);
  }

  /** Detaches every probe of the group. Takes the lock itself: must not be called under it. */
  done(): void {
    if (state.locked) throw new TracingError("ProbeGroup.done: must not be called under the lock");
    setup(() => {
      for (const p of this.probes) p.detach();
      this.probes = [];
    });
  }
}

/** A probe attached by name pattern; see `attach`. */
export class PatternProbe {
  /** @internal */ group: ProbeGroup | null = null;
  /** @internal */ readonly match: (tp: Tracepoint) => boolean;
  /** @internal */ readonly fn: PatternProbeFn;
  /** @internal With `attachFew`: what events of at most FEW_ARGS parameters call instead of `fn`. */
  readonly few: FewProbeFn | null;
  /** @internal */ readonly attached: Probe[] = [];
  /** @internal */ detached = false;
  /** The pattern, or patterns, as given to `attach`. */
  readonly pattern: string | readonly string[];

  /** @internal */
  constructor(pattern: string | readonly string[], fn: PatternProbeFn, few: FewProbeFn | null = null) {
    this.pattern = pattern;
    this.few = few;
    try {
      this.match = typeof pattern === "string" ? compilePattern(pattern) : compilePatterns(pattern);
    } catch (err) {
      throw new TracingError(`attach: ${(err as Error).message}`);
    }
    this.fn = fn;
  }

  /** Detaches this pattern from every tracepoint it was attached to. Must be called under the lock. */
  detach(): void {
    requireLock("detach");
    if (this.detached) return;
    this.detached = true;
    state.patterns.delete(this);
    for (const p of this.attached) detachProbe(p);
    this.attached.length = 0;
  }
}

/** A probe attached by pattern gets the tracepoint and the argument array. */
export type PatternProbeFn = (tracepoint: Tracepoint, args: unknown[]) => unknown;

/**
 * @internal A pattern probe that takes an event's arguments one by one after the
 * tracepoint and their count `n`, so that no array is made per event (see
 * `attachFew`); the ones past `n` are undefined.
 */
export type FewProbeFn = (tracepoint: Tracepoint, n: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown) => unknown;
/** @internal The most parameters an event may have for a `FewProbeFn`. */
export const FEW_ARGS = 4;

/**
 * One event of one package. Generated code defines a subclass per event with
 * fixed-arity `fire` and `wrap`; users meet tracepoints through `tracepoints()`.
 */
export abstract class Tracepoint {
  /**
   * @internal Live probes, or null when none: the one field the idle check reads.
   * Written only at unlock, and only when the live list changed. It lives on the
   * class prototype (see the header and `setLive`): `declare` emits no instance field.
   */
  declare p: Probe[] | null;
  /**
   * @internal What `fire` calls, null only when `p` is: the only live probe's
   * function, or with two or more the tracepoint's `many` (the generated
   * dispatcher). On the prototype like `p`, written with it.
   */
  declare f: ProbeFn | null;
  /** @internal The live probes' functions, parallel to `p` (null when none). */
  declare fs: ProbeFn[] | null;
  /** @internal Bumped (a small integer) whenever `p` is published: the dispatcher compares it after each probe. */
  declare g: number;
  /** @internal Generated subclasses: calls every live probe, returns their settled promise or undefined. */
  declare readonly many?: ProbeFn;
  /** @internal probes as edited under the lock; copied to `p` at unlock */
  list: Probe[] = [];
  readonly package: string;
  readonly name: string;
  readonly params: readonly ParamInfo[];
  /** Hash of the event's signature; attaching code built against another one throws. */
  readonly hash: string;
  /** Where the event is declared: `file:line:column`. */
  readonly location: string;

  constructor(pkg: string, name: string, params: readonly ParamInfo[], hash: string, location: string) {
    const proto = Object.getPrototypeOf(this) as LiveFields;
    // A second instance of one class (hand-written subclasses) gets fields of its own.
    const at: LiveFields = Object.hasOwn(proto, "p") ? this : proto;
    at.p = null;
    at.f = null;
    at.fs = null;
    at.g = 0;
    this.package = pkg;
    this.name = name;
    this.params = params;
    this.hash = hash;
    this.location = location;
  }

  /** Number of probes attached now (as of the last unlock). */
  get probeCount(): number {
    return this.p === null ? 0 : this.p.length;
  }

  /** The signature as written in the directive, e.g. `traceHello(who: string)`. */
  get signature(): string {
    return `${this.name}(${this.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.type}`).join(", ")})`;
  }

  /** @internal Runs the live probes with the event's arguments (generated, fixed arity). */
  abstract fire(...args: unknown[]): void | Promise<void>;
  /** @internal Adapts a pattern probe to this event's arity (generated). */
  abstract wrap(fn: PatternProbeFn): ProbeFn;

  /**
   * @internal Called after an unlock that gave this tracepoint its first live probe
   * (`true`) or took its last away (`false`); bridges subscribe to their source
   * only while someone listens. Cold path only: never read by a trace call.
   */
  onLive?(live: boolean): void;

  /** @internal Combines the thenables probes returned into one promise. */
  protected settle(pending: PromiseLike<unknown>[]): Promise<void> {
    return settleAll(pending);
  }

  /** @internal A later probe threw: the caller gets that, and these must not reject unhandled. */
  protected abandon(pending: PromiseLike<unknown>[]): void {
    for (const x of pending) Promise.resolve(x).then(undefined, ignore);
  }
}

interface LiveFields {
  p: Probe[] | null;
  f: ProbeFn | null;
  fs: ProbeFn[] | null;
  g: number;
}

const ignore = () => {};

/** What `tracepoints()` reports. */
export interface TracepointInfo {
  readonly package: string;
  readonly name: string;
  readonly params: readonly ParamInfo[];
  readonly signature: string;
  readonly location: string;
  readonly probeCount: number;
}

// --- shared state -------------------------------------------------------------

interface State {
  locked: boolean;
  /** tracepoints whose probe list changed under the lock */
  dirty: Set<Tracepoint>;
  /** probes whose `on` an older copy of the runtime left to flip at unlock */
  flips: Set<Probe>;
  byKey: Map<string, Tracepoint>;
  patterns: Set<PatternProbe>;
}

// One state per realm: a runtime bundled twice (duplicate chunks, HMR, a library
// with its own copy) finds the first copy's state here and shares it.
const KEY = Symbol.for("unplugin-tracing.state.v1");
const state: State = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  locked: false,
  dirty: new Set(),
  flips: new Set(),
  byKey: new Map(),
  patterns: new Set(),
} satisfies State) as State;

function requireLock(what: string): void {
  if (!state.locked) {
    throw new TracingError(`${what}: must be called under the tracing lock (wrap it in setup(() => ...))`);
  }
}

// Detached probes leave `tp.list` at unlock, in one pass per tracepoint: removing
// each at once (indexOf + splice) made a group of n probes on one tracepoint O(n²).
function detachProbe(p: Probe): void {
  if (p.detached) return;
  p.detached = true;
  const tp = p.tp;
  if (tp === null) return;
  state.dirty.add(tp);
}

function addProbe(pg: ProbeGroup | null, tp: Tracepoint, p: Probe): Probe {
  tp.list.push(p);
  state.dirty.add(tp);
  if (pg !== null) pg.add(p);
  return p;
}

/**
 * Publishes the live probes where the tracepoint's constructor put its fields (its
 * class prototype, or the instance): `p` for the idle check, `f` for `fire` (the
 * one probe's function, or the dispatcher `many`), `fs` for the dispatcher, and a
 * new `g`. Only fields that change are written, so a field keeps its constness in
 * V8 as long as it can.
 */
function setLive(tp: Tracepoint, live: Probe[] | null): void {
  const at: LiveFields = Object.hasOwn(tp, "p") ? tp : (Object.getPrototypeOf(tp) as LiveFields);
  const one = live !== null && live.length === 1;
  const f = live === null ? null : one ? live[0]!.fn : (tp.many ?? null);
  const fs = live === null || one ? null : live.map(fnOf);
  at.p = live;
  at.g = (at.g + 1) & 0x3fffffff;
  if (at.f !== f) at.f = f;
  if (at.fs !== fs) at.fs = fs;
}

const fnOf = (p: Probe) => p.fn;

/** Takes the tracing lock: attach and detach are allowed until `unlock()`. */
function lock(): void {
  if (state.locked) throw new TracingError("lock: the tracing lock is already held");
  state.locked = true;
}

/** Releases the lock; everything changed under it takes effect now, at once. */
function unlock(): void {
  if (!state.locked) throw new TracingError("unlock: the tracing lock is not held");
  // `flips` stays for a copy of an older runtime sharing this state; ours walks the lists.
  for (const p of state.flips) p.on = !p.detached;
  state.flips.clear();
  let turned: Tracepoint[] | null = null;
  for (const tp of state.dirty) {
    for (const p of tp.list) p.on = !p.detached;
    tp.list = tp.list.filter(isAttached);
    const live = tp.list.length === 0 ? null : tp.list.slice();
    if (live === tp.p) continue;
    if ((live === null) !== (tp.p === null) && tp.onLive !== undefined) (turned ??= []).push(tp);
    setLive(tp, live);
  }
  state.dirty.clear();
  state.locked = false;
  if (turned !== null) for (const tp of turned) notifyLive(tp);
}

/** A bridge's failure to (un)subscribe must not break the unlock that caused it. */
function notifyLive(tp: Tracepoint): void {
  try {
    tp.onLive!(tp.p !== null);
  } catch {
    // the bridge counts its own failures
  }
}

const isAttached = (p: Probe) => !p.detached;

/** Runs `fn` under the lock and unlocks even if it throws. `fn` must be synchronous. */
function setup<R>(fn: () => R): R {
  lock();
  let result: R;
  try {
    result = fn();
  } finally {
    unlock();
  }
  if (result != null && typeof (result as { then?: unknown }).then === "function") {
    throw new TracingError("setup: fn returned a promise; attach synchronously (the lock is released when fn returns)");
  }
  return result;
}

/**
 * Attaches `probe` to `tracepoint` (after the probes already there) and adds it to
 * `pg` if given. Must be called under the lock.
 */
function attachProbe(pg: ProbeGroup | null, tracepoint: Tracepoint, probe: ProbeFn): Probe {
  requireLock("attachProbe");
  return addProbe(pg, tracepoint, new Probe(tracepoint, probe));
}

/**
 * @internal The body of generated `traceX_Attach` functions. `hash` and
 * `signature` are what the attaching code was built against; a tracepoint with
 * another hash was declared differently since, and attaching would pass the probe
 * arguments it does not expect.
 */
function attachChecked(pg: ProbeGroup | null, tp: Tracepoint, probe: ProbeFn, hash: string, where: string, signature?: string): Probe {
  requireLock(`${where}_Attach`);
  if (hash !== tp.hash) {
    throw new TracingError(
      `${where}_Attach: ${tp.package}:${tp.name} changed since the code that attaches was built: ` +
        `it was built against ${signature ?? `signature hash ${hash}`}, the tracepoint is now ${tp.signature}; rebuild the code that attaches`,
    );
  }
  if (typeof probe !== "function") throw new TracingError(`${where}_Attach: probe must be a function`);
  return addProbe(pg, tp, new Probe(tp, probe));
}

/** @internal Attach code for a prebuilt library: finds the tracepoint by name, then checks it as above. */
function attachByName(pg: ProbeGroup | null, pkg: string, name: string, probe: ProbeFn, hash: string, signature: string): Probe {
  requireLock(`${name}_Attach`);
  const tp = state.byKey.get(`${pkg}:${name}`);
  if (tp === undefined) {
    throw new TracingError(`${name}_Attach: no tracepoint ${pkg}:${name} in this realm; is the library that declares it loaded, and built with unplugin-tracing?`);
  }
  return attachChecked(pg, tp, probe, hash, name, signature);
}

/**
 * Attaches `probe` to every tracepoint whose `package:name` matches `pattern`
 * (or any of several patterns: a tracepoint they all match gets the probe once)
 * (`*` matches any run of characters except `/` and `:`, `**` any run at all;
 * a pattern without `:` means every event of the matching packages), now and as
 * modules that define more tracepoints load, until the handle is detached.
 * Must be called under the lock.
 */
function attach(pattern: string | readonly string[], probe: PatternProbeFn, pg?: ProbeGroup | null): PatternProbe {
  return attachFew(pattern, probe, null, pg);
}

/**
 * @internal `attach` for observers that must not allocate per event (the
 * recorder): an event of at most FEW_ARGS parameters calls `few` with its
 * arguments one by one, through one closure made here per tracepoint; an event
 * with more calls `probe` with the array.
 */
function attachFew(pattern: string | readonly string[], probe: PatternProbeFn, few: FewProbeFn | null, pg?: ProbeGroup | null): PatternProbe {
  requireLock("attach");
  if (typeof probe !== "function" || (few !== null && typeof few !== "function")) throw new TracingError("attach: probe must be a function");
  const pp = new PatternProbe(pattern, probe, few);
  state.patterns.add(pp);
  for (const tp of state.byKey.values()) if (pp.match(tp)) pp.attached.push(addProbe(null, tp, patternProbeOn(tp, pp)));
  if (pg) pg.add(pp);
  return pp;
}

/** The probe function of a `FewProbeFn` on one tracepoint: made once per tracepoint, not per event. */
function fewOn(tp: Tracepoint, few: FewProbeFn, probe: PatternProbeFn): ProbeFn {
  // `arguments.length`: the count this call passed (in generated code the event's
  // arity, which V8 folds where it inlines the call). More than FEW_ARGS only from
  // a hand-written tracepoint: those get the array.
  return function (a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown): unknown {
    const n = arguments.length;
    return n <= FEW_ARGS ? few(tp, n, a0, a1, a2, a3) : probe(tp, Array.prototype.slice.call(arguments));
  };
}

function patternProbeOn(tp: Tracepoint, pp: PatternProbe): Probe {
  const fn = pp.few !== null && tp.params.length <= FEW_ARGS ? fewOn(tp, pp.few, pp.fn) : tp.wrap(pp.fn);
  const p = new Probe(tp, fn);
  p.owner = pp;
  return p;
}

/** Every tracepoint defined in this realm so far, sorted by package and name. */
function tracepoints(): Tracepoint[] {
  return [...state.byKey.values()].sort((a, b) =>
    a.package === b.package ? (a.name < b.name ? -1 : 1) : a.package < b.package ? -1 : 1,
  );
}

/**
 * @internal Called by generated code once per tracepoint. Returns the tracepoint
 * already registered under the same package and name when its signature is the
 * same (a duplicate chunk, an HMR update); otherwise registers `tp`, moving the
 * probes of an older version onto it so they stay attached across edits.
 */
function defineTracepoint<T extends Tracepoint>(tp: T): T {
  const key = `${tp.package}:${tp.name}`;
  const old = state.byKey.get(key);
  if (old !== undefined && old.hash === tp.hash) return old as T;
  state.byKey.set(key, tp);
  const wasLocked = state.locked;
  if (!wasLocked) state.locked = true;
  try {
    if (old !== undefined) {
      for (const p of old.list) {
        if (p.detached) continue;
        const moved = p.owner ? patternProbeOn(tp, p.owner) : new Probe(tp, p.fn);
        if (p.owner) p.owner.attached.push(moved);
        if (p.group) p.group.probes.push(moved), (moved.group = p.group);
        tp.list.push(moved);
        detachProbe(p);
      }
      state.dirty.add(tp);
    }
    for (const pp of state.patterns) {
      if (pp.match(tp) && !pp.attached.some((p) => p.tp === tp)) pp.attached.push(addProbe(null, tp, patternProbeOn(tp, pp)));
    }
  } finally {
    if (!wasLocked) unlock();
  }
  return tp;
}

function settleAll(pending: PromiseLike<unknown>[]): Promise<void> {
  return Promise.allSettled(pending).then((results) => {
    for (const r of results) if (r.status === "rejected") throw r.reason;
  });
}

export { lock, unlock, setup, attachProbe, attachChecked, attachByName, attach, attachFew, tracepoints, defineTracepoint, compilePattern };
