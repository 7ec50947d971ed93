//trace:event traceTick(i: number, s: number)
//trace:event traceReq(req: { id: number; path: string }, msg: string)
//trace:event traceActive(i: number, s: number)
//trace:event traceTen(i: number, s: number)
//trace:event traceStep(i: number)
// The hot loops measured by bench/run.mjs. Every loop is its own function (its own
// feedback and optimised code) and differs from `baseline` by one line only.
// `sink` is a module variable, so no loop can be folded away; the harness xors
// every result into its own sink as well.
import dc from "node:diagnostics_channel";
import { EventEmitter } from "node:events";
import createDebug from "debug";

export let sink = 0;

// A probe as the active cases measure it: trivial work on state of its own, in
// its closure. Not on one shared module variable: V8 keeps a module's variables in
// one context object, and its optimiser keeps a slot in a register across calls
// only among a context's first few dozen slots. In this bundle (the runtime and
// `debug` come first) such a variable sat past them, so ten probes updating it in
// turn were a chain of ten loads and stores through memory, and the ten functions
// called by hand cost 12-14x one call. (A file with just these loops measured it:
// 11.5 ns for the ten calls, 40 ns with 40 module variables declared before it.)
const states: Array<() => number> = [];
function makeProbe(): (i: number, s: number) => void {
  let acc = 0;
  states.push(() => acc);
  return (i, s) => {
    acc = (acc ^ i ^ s) & 0x3fffffff;
  };
}

/** The probe, the direct call and every subscriber do this trivial work. */
export const work = makeProbe();
export const accOf = () => states.reduce((x, state) => x ^ state(), 0);

const chGuarded = dc.channel("bench:idle-guarded");
const chPlain = dc.channel("bench:idle-plain");
const chActive = dc.channel("bench:active");
const chTen = dc.channel("bench:ten");
const eeIdle = new EventEmitter();
const eeActive = new EventEmitter();
const eeTen = new EventEmitter();
const log = createDebug("bench:hot");
const listeners: Array<(i: number, s: number) => void> = [];

// --- idle ---------------------------------------------------------------------

export function baseline(n: number): number {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function idlePrimitive(n: number): number {
  for (let i = 0; i < n; i++) {
    traceTick(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function idleObject(n: number): number {
  for (let i = 0; i < n; i++) {
    traceReq({ id: i, path: `/items/${i}` }, `request ${i} after ${sink}`);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function dcGuarded(n: number): number {
  for (let i = 0; i < n; i++) {
    if (chGuarded.hasSubscribers) chGuarded.publish({ i, s: sink });
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function dcPlain(n: number): number {
  for (let i = 0; i < n; i++) {
    chPlain.publish({ i, s: sink });
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function debugDisabled(n: number): number {
  for (let i = 0; i < n; i++) {
    log("tick %d %d", i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function listenersCheck(n: number): number {
  for (let i = 0; i < n; i++) {
    if (listeners.length !== 0) for (let j = 0; j < listeners.length; j++) listeners[j]!(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function eeNoListener(n: number): number {
  for (let i = 0; i < n; i++) {
    eeIdle.emit("tick", i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

// --- one active probe, and the alternatives -----------------------------------

export function direct(n: number): number {
  for (let i = 0; i < n; i++) {
    work(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function activeOne(n: number): number {
  for (let i = 0; i < n; i++) {
    traceActive(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function dcOne(n: number): number {
  for (let i = 0; i < n; i++) {
    if (chActive.hasSubscribers) chActive.publish({ i, s: sink });
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function eeOne(n: number): number {
  for (let i = 0; i < n; i++) {
    eeActive.emit("tick", i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function activeTen(n: number): number {
  for (let i = 0; i < n; i++) {
    traceTen(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function dcTen(n: number): number {
  for (let i = 0; i < n; i++) {
    if (chTen.hasSubscribers) chTen.publish({ i, s: sink });
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

/** The ten probes' functions, attached to traceTen, dc and ee below. */
const ten = Array.from({ length: 10 }, () => makeProbe());

/** Reference: the ten probes called by hand, each from a call site of its own. */
export function tenDirect(n: number): number {
  const [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = ten as [typeof work, typeof work, typeof work, typeof work, typeof work, typeof work, typeof work, typeof work, typeof work, typeof work];
  for (let i = 0; i < n; i++) {
    f0(i, sink), f1(i, sink), f2(i, sink), f3(i, sink), f4(i, sink), f5(i, sink), f6(i, sink), f7(i, sink), f8(i, sink), f9(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function eeTenEmit(n: number): number {
  for (let i = 0; i < n; i++) {
    eeTen.emit("tick", i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

/** Attaches the active cases' probes and subscribers; never detached. */
export function attachActive(setup: (fn: () => void) => void, ProbeGroup: new () => any): void {
  const pg = new ProbeGroup();
  setup(() => {
    traceActive_Attach(pg, work);
    for (const f of ten) traceTen_Attach(pg, f);
  });
  chActive.subscribe((m: any) => work(m.i, m.s));
  eeActive.on("tick", work);
  for (const f of ten) {
    chTen.subscribe((m: any) => f(m.i, m.s));
    eeTen.on("tick", f);
  }
}

// --- await, idle --------------------------------------------------------------

export async function asyncPlain(n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export async function asyncAwaitIdle(n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    await traceStep(i);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

/** Reference only: what an `await` that always yields would cost. */
export async function asyncAwaitAlways(n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    await undefined;
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}
