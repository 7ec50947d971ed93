// One churn scenario in a fresh process:
//   node --allow-natives-syntax [--trace-deopt] bench/out/churn.mjs <scenario> <rounds>
// 1. warm the idle loop and the baseline, measure them idle (steady state);
// 2. six cycles of: attach, run the loop (probe firing), detach, run the loop idle;
// 3. measure the idle loop again from the very first round, each round paired with
//    a baseline round. Markers on stdout let run.mjs split --trace-deopt output by phase.
import { keep, median, sample, tier } from "../lib/harness.mjs";
import * as C from "./churn/loops.ts";

const [name = "oursSame", roundsArg = "40"] = process.argv.slice(2);
const rounds = Number(roundsArg);
const s = C.scenarios[name];
if (!s) throw new Error(`unknown scenario ${name}`);
const N = 1_000_000;
const CYCLE_N = 20_000;

console.log("@@phase warm");
for (let r = 0; r < 30; r++) {
  sample(C.baseline, N);
  sample(s.loop, N);
}
const before: number[] = [];
const beforeBase: number[] = [];
for (let r = 0; r < 15; r++) {
  beforeBase.push(sample(C.baseline, N) as number);
  before.push(sample(s.loop, N) as number);
}
const tierBefore = tier(s.loop);

console.log("@@phase cycles");
for (let c = 0; c < 6; c++) {
  s.on();
  sample(s.loop, CYCLE_N);
  s.off();
  sample(s.loop, CYCLE_N);
}
const tierAfterCycles = tier(s.loop);

console.log("@@phase after");
const after: number[] = [];
const afterBase: number[] = [];
const afterTiers: string[] = [];
for (let r = 0; r < rounds; r++) {
  after.push(sample(s.loop, N) as number);
  if (r < 5) afterTiers.push(tier(s.loop));
  afterBase.push(sample(C.baseline, N) as number);
}
console.log("@@phase end");

const base = median([...beforeBase, ...afterBase]);
console.log(
  "@@result " +
    JSON.stringify({
      scenario: name,
      label: s.label,
      baseline: base,
      before: median(before),
      first: after[0],
      firstRounds: after.slice(0, 5),
      afterMedian: median(after),
      worst: Math.max(...after),
      worstRatio: Math.max(...after) / base,
      firstRatio: after[0]! / base,
      tierBefore,
      tierAfterCycles,
      afterTiers,
      keep: keep ^ C.sink ^ C.hitsOf(),
    }),
);
