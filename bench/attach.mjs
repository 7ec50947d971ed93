// node bench/attach.mjs [--rate N] [--ms N]   (after npm run build)
// `tstrace watch --pid` against a process started plainly with node:
// - the idle trace call's cost relative to the same loop without it, before
//   attaching and after detaching (in the one target process: ratios in one process);
// - while attached, events at --rate a second (default 100,000) for --ms: how many
//   reached the CLI, how many were dropped, how late they arrived (CLI clock minus the
//   event's wall time), and the target's event-loop delay, against the same load
//   with nothing attached.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { buildEntry, benchDir } from "./lib/build.mjs";
import { median, quantile } from "./lib/harness.mjs";

const argv = process.argv.slice(2);
const opt = (k, d) => (argv.includes(k) ? Number(argv[argv.indexOf(k) + 1]) : d);
const rate = opt("--rate", 100_000);
const ms = opt("--ms", 3_000);
const cli = join(benchDir, "..", "dist/src/cli.js");

const built = await buildEntry("attach");
if (!built.ok) throw new Error(built.error);
const target = spawn(process.execPath, [...(process.env.TARGET_FLAGS ?? "").split(" ").filter(Boolean), built.file], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((r) => target.stdout.once("data", (c) => r(JSON.parse(String(c)).port)));
const get = async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();
const idleRatio = async () => {
  const { results } = await get("/measure");
  return { ratio: results.idle.ratio, diffNs: results.idle.diff, baseNs: results.base.ns, idleNs: results.idle.ns, tier: results.idle.tier };
};

try {
  const before = await idleRatio();
  const unattached = await get(`/load?ms=${ms}&rate=${rate}`);

  const w = spawn(process.execPath, [...(process.env.CLI_FLAGS ?? "").split(" ").filter(Boolean), cli, "watch", "--pid", String(target.pid), "attach:traceLoad", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  w.stderr.on("data", (c) => (err += c));
  let received = 0;
  const lateness = [];
  let rest = "";
  w.stdout.on("data", (c) => {
    const now = Date.now();
    const lines = (rest + c).split("\n");
    rest = lines.pop();
    for (const l of lines) {
      received++;
      if (received % 50 === 0) lateness.push(now - JSON.parse(l).time);
    }
  });
  while (!err.includes("tstrace: watching")) await new Promise((r) => setTimeout(r, 20));
  const attached = await get(`/load?ms=${ms}&rate=${rate}`);
  const deadline = Date.now() + 5_000;
  while (received < attached.fired && Date.now() < deadline && !/dropped/.test(err)) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  w.kill("SIGINT");
  await new Promise((r) => w.once("exit", r));
  const dropped = Number(/(\d+) events dropped, /.exec(err)?.[1] ?? NaN);
  const after = await idleRatio();

  const result = {
    node: process.version,
    rate,
    ms,
    idle: { before, after },
    load: {
      fired: attached.fired,
      received,
      dropped,
      carriedPerSecond: Math.round((received / ms) * 1000),
      latencyMs: { p50: median(lateness), p99: quantile(lateness, 0.99), max: Math.max(...lateness) },
      loopDelayMs: { unattached, attached },
    },
  };
  console.log(`idle trace call / baseline: before attach ${before.ratio.toFixed(3)} (${before.diffNs.toFixed(2)} ns), after detach ${after.ratio.toFixed(3)} (${after.diffNs.toFixed(2)} ns)`);
  console.log(`attached at ${rate}/s for ${ms} ms: fired ${attached.fired}, received ${received}, dropped ${dropped}; arrival p50 ${result.load.latencyMs.p50} ms, p99 ${result.load.latencyMs.p99} ms, max ${result.load.latencyMs.max} ms`);
  console.log(`target loop delay (ms) p50/p99/max: nothing attached ${unattached.p50DelayMs.toFixed(1)}/${unattached.p99DelayMs.toFixed(1)}/${unattached.maxDelayMs.toFixed(1)}, attached ${attached.p50DelayMs.toFixed(1)}/${attached.p99DelayMs.toFixed(1)}/${attached.maxDelayMs.toFixed(1)}`);
  console.log(JSON.stringify(result));
} finally {
  target.kill();
}
