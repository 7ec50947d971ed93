// The recorder attached to one event, in its own process (its probes and buffer
// would disturb the other cases):
//   node --allow-natives-syntax bench/out/rec.mjs <rounds> <warmup>
import { Recorder } from "unplugin-tracing/recorder";
import { gcDuring, keep, runGroups } from "../lib/harness.mjs";
import * as R from "./rec/loops.ts";

const [rounds = 30, warmup = 5] = process.argv.slice(2).map(Number);
const rec = new Recorder({ patterns: ["rec:traceRec", "rec:traceRecObj"], bufferSize: 100_000 }).start();
const results = await runGroups(
  [
    {
      name: "recorder",
      n: 20_000,
      ref: "recBaseline",
      cases: [
        { id: "recBaseline", label: "loop without tracing (baseline, recorder process)", fn: R.baseline },
        { id: "recClock", label: "performance.now() alone (the recorder's clock)", fn: R.clock },
        { id: "recObjectRead", label: "reading { id, path } without getters, alone", fn: R.objectRead },
        { id: "recorded", label: "recorder attached: traceRec(i, sink)", fn: R.recorded },
        { id: "recordedObject", label: "recorder attached: traceRecObj({ id: i, path })", fn: R.recordedObject },
      ],
    },
  ],
  { warmup, rounds },
);
// Garbage check: young GCs while 2M events of two numbers are recorded, against the
// clock read alone (performance.now() returns a fresh heap number each call in
// Node 20, so that much garbage is the clock's) and a control that keeps an array
// per iteration, as a recorder that made one per event would.
const gc = {
  recorded: await gcDuring(R.recorded, 2_000_000),
  clock: await gcDuring(R.clock, 2_000_000),
  control: await gcDuring(R.allocating, 2_000_000),
};
rec.stop();
const events = rec.events();
console.log(
  JSON.stringify({
    results,
    gc,
    recorder: { events: events.length, dropped: rec.dropped, failures: rec.failures, sample: events.at(-1), sampleObject: events.find((e) => e.name === "traceRecObj") },
    keep: keep ^ R.sink,
  }),
);
