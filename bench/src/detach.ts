// pg.done() on many probes of one tracepoint, in its own process:
//   node bench/out/detach.mjs <probes> <rounds>
// prints one JSON line: the milliseconds of each round's attach and done.
import { ProbeGroup, setup, tracepoints } from "unplugin-tracing/runtime";
import { attachAll } from "./detach/probes.ts";

const [probes = 100_000, rounds = 5] = process.argv.slice(2).map(Number);
const attachMs: number[] = [];
const doneMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  const pg = new ProbeGroup();
  const fns = Array.from({ length: probes }, (_, k) => (i: number) => void (i + k));
  let t0 = performance.now();
  setup(() => attachAll(pg, fns));
  attachMs.push(performance.now() - t0);
  t0 = performance.now();
  pg.done();
  doneMs.push(performance.now() - t0);
}
const left = tracepoints().find((tp) => tp.name === "traceMany")?.probeCount;
console.log(JSON.stringify({ probes, attachMs, doneMs, left }));
