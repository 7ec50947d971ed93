//trace:event traceSame(i: number)
//trace:event traceWatched(i: number)
//trace:event traceOther(i: number)
// Idle loops measured right after attach/detach cycles. Each scenario runs in a
// fresh process (bench/src/churn.ts), so no other case has touched these objects.
import dc from "node:diagnostics_channel";
import { ProbeGroup, setup } from "unplugin-tracing/runtime";

export let sink = 0;
let hits = 0;
const probe = (i: number) => {
  hits = (hits + (i & 1)) | 0;
};
export const hitsOf = () => hits;

export function baseline(n: number): number {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function oursSame(n: number): number {
  for (let i = 0; i < n; i++) {
    traceSame(i);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function oursOther(n: number): number {
  for (let i = 0; i < n; i++) {
    traceWatched(i);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

const chSame = dc.channel("churn:same");
const chWatched = dc.channel("churn:watched");
const chOther = dc.channel("churn:other");

export function dcSame(n: number): number {
  for (let i = 0; i < n; i++) {
    if (chSame.hasSubscribers) chSame.publish(i);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function dcOther(n: number): number {
  for (let i = 0; i < n; i++) {
    if (chWatched.hasSubscribers) chWatched.publish(i);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

const listeners: Array<(i: number) => void> = [];
export function handSame(n: number): number {
  for (let i = 0; i < n; i++) {
    if (listeners.length !== 0) for (let j = 0; j < listeners.length; j++) listeners[j]!(i);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

const dcSub = (m: unknown) => probe(m as number);

/** For each scenario: the loop measured, and one attach and one detach. */
export const scenarios: Record<string, { loop: (n: number) => number; on: () => void; off: () => void; label: string }> = (() => {
  let pg: ProbeGroup | null = null;
  return {
    oursSame: {
      label: "ours: idle call, cycles on the same tracepoint",
      loop: oursSame,
      on: () => setup(() => void traceSame_Attach((pg = new ProbeGroup()), probe)),
      off: () => pg!.done(),
    },
    oursOther: {
      label: "ours: idle call, cycles on another tracepoint",
      loop: oursOther,
      on: () => setup(() => void traceOther_Attach((pg = new ProbeGroup()), probe)),
      off: () => pg!.done(),
    },
    dcSame: {
      label: "diagnostics_channel guarded, cycles on the same channel",
      loop: dcSame,
      on: () => chSame.subscribe(dcSub),
      off: () => void chSame.unsubscribe(dcSub),
    },
    dcOther: {
      label: "diagnostics_channel guarded, cycles on another channel",
      loop: dcOther,
      on: () => chOther.subscribe(dcSub),
      off: () => void chOther.unsubscribe(dcSub),
    },
    handSame: {
      label: "hand-written if (listeners.length), cycles on that array",
      loop: handSame,
      on: () => void listeners.push(probe),
      off: () => void listeners.splice(listeners.indexOf(probe), 1),
    },
  };
})();
