// The steady-state cases: idle, active, await. Run by bench/run.mjs as
//   node --allow-natives-syntax bench/out/micro.mjs <rounds> <warmup>
// and prints one JSON line.
import { ProbeGroup, setup } from "unplugin-tracing/runtime";
import { gcDuring, keep, runGroups, tier } from "../lib/harness.mjs";
import * as L from "./hot/loops.ts";

const [rounds = 30, warmup = 5] = process.argv.slice(2).map(Number);

// Nothing may print or log: `debug` stays disabled whatever the environment says.
delete process.env.DEBUG;

L.attachActive(setup, ProbeGroup);

const groups = [
  {
    name: "idle",
    n: 1_000_000,
    ref: "baseline",
    cases: [
      { id: "baseline", label: "loop without tracing (baseline)", fn: L.baseline },
      { id: "idlePrimitive", label: "idle traceTick(i, sink)", fn: L.idlePrimitive },
      { id: "idleObject", label: "idle traceReq({...}, `template`)", fn: L.idleObject },
      { id: "dcGuarded", label: "diagnostics_channel idle, hasSubscribers guard", fn: L.dcGuarded },
      { id: "dcPlain", label: "diagnostics_channel idle, plain publish({...})", fn: L.dcPlain },
      { id: "debugDisabled", label: "debug(...) disabled", fn: L.debugDisabled },
      { id: "listenersCheck", label: "hand-written if (listeners.length)", fn: L.listenersCheck },
      { id: "eeNoListener", label: "EventEmitter emit, no listener", fn: L.eeNoListener },
    ],
  },
  {
    name: "active",
    n: 200_000,
    ref: "direct",
    cases: [
      { id: "direct", label: "direct call work(i, sink)", fn: L.direct },
      { id: "activeOne", label: "1 probe: traceActive(i, sink)", fn: L.activeOne },
      { id: "dcOne", label: "diagnostics_channel, 1 subscriber", fn: L.dcOne },
      { id: "eeOne", label: "EventEmitter emit, 1 listener", fn: L.eeOne },
      { id: "activeTen", label: "10 probes: traceTen(i, sink)", fn: L.activeTen },
      { id: "tenDirect", label: "reference: the 10 probes' functions called by hand", fn: L.tenDirect },
      { id: "dcTen", label: "diagnostics_channel, 10 subscribers", fn: L.dcTen },
      { id: "eeTen", label: "EventEmitter emit, 10 listeners", fn: L.eeTenEmit },
    ],
  },
  {
    name: "await",
    n: 200_000,
    ref: "asyncPlain",
    cases: [
      { id: "asyncPlain", label: "async loop without the line", fn: L.asyncPlain },
      { id: "asyncAwaitIdle", label: "async loop, idle await traceStep(i)", fn: L.asyncAwaitIdle },
      { id: "asyncAwaitAlways", label: "reference: await undefined (always yields)", fn: L.asyncAwaitAlways },
    ],
  },
];

const results = await runGroups(groups, { warmup, rounds });

// Allocation check: no GC may happen while the idle loops run 20M times if they
// allocate nothing (young generation is a few MB; 20M object literals would be ~1 GB).
const gc = {
  idleObject: await gcDuring(L.idleObject, 20_000_000),
  idlePrimitive: await gcDuring(L.idlePrimitive, 20_000_000),
  dcPlain: await gcDuring(L.dcPlain, 20_000_000),
  // control: the same object literal and template, built for real
  control: await gcDuring((n) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const o = { id: i, path: `/items/${i}` };
      s = (s ^ o.path.length ^ o.id) & 0x3fffffff;
    }
    return s;
  }, 20_000_000),
};

const tiers: Record<string, string> = {};
for (const g of groups) for (const c of g.cases) tiers[c.id] = tier(c.fn);

console.log(JSON.stringify({ results, gc, tiers, keep: keep ^ L.sink ^ L.accOf() }));
