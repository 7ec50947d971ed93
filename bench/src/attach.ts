// The process bench/attach.mjs attaches to: started plainly with node, it answers
// on loopback /measure (idle trace call vs. baseline, interleaved rounds) and
// /load (paced events, with the event loop's delay measured meanwhile).
import { createServer } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { keep, runGroups } from "../lib/harness.mjs";
import * as L from "./attach/loops.ts";

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const q = (k: string, d: number) => Number(url.searchParams.get(k) ?? d);
  let body: unknown;
  if (url.pathname === "/measure") {
    const results = await runGroups(
      [{ name: "idle", n: 1_000_000, ref: "base", cases: [{ id: "base", label: "baseline", fn: L.baseline }, { id: "idle", label: "idle trace call", fn: L.idle }] }],
      { warmup: 5, rounds: q("rounds", 61) },
    );
    body = { results, keep: keep ^ L.sink };
  } else if (url.pathname === "/load") {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const fired = await L.load(q("ms", 2000), q("rate", 100_000));
    h.disable();
    body = { fired, maxDelayMs: h.max / 1e6, p99DelayMs: h.percentile(99) / 1e6, p50DelayMs: h.percentile(50) / 1e6 };
  } else body = { ok: true };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
});
// Exit cleanly on SIGTERM, so a --cpu-prof run writes its profile.
process.on("SIGTERM", () => process.exit(0));
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  console.log(JSON.stringify({ port: typeof a === "object" && a ? a.port : 0 }));
});
