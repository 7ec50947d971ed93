// `tstrace watch --pid <PID> <pattern...>` and `tstrace list --pid <PID>`: the
// dev-server commands' outputs (lines, --json, --out Perfetto trace) and --pprof,
// for a running Node process reached through its inspector (see session.ts).

import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { checkPatterns } from "../../runtime/live/limits.ts";
import { compilePattern } from "../../runtime/pattern.ts";
import type { WireEvent } from "../../runtime/live/protocol.ts";
import type { DetachReply } from "../../runtime/attach/protocol.ts";
import { eventAt, parseBatch } from "../../runtime/attach/batch.ts";
import { linesOf } from "./lines.ts";
import { buildProfile } from "../../runtime/profile.ts";
import { toTraceFile, type RecordedEvent } from "../../runtime/trace-events.ts";
import { WatchUsageError, type WatchIo } from "../dev/watch.ts";
import { openSession } from "./session.ts";
import { eachArg } from "../cli-args.ts";
import { escapeText } from "../dev/escape.ts";

export const WATCH_PID_HELP = `  tstrace watch --pid PID <pattern...> [--json] [--out FILE] [--pprof FILE] [--duration SECONDS]
                                   attach to the patterns in a running Node process built with
                                   the plugin (through its inspector, opened on loopback and
                                   closed again), print each event; --pprof writes the stacks of
                                   the events; Ctrl-C, SIGTERM or --duration detaches
  tstrace list --pid PID           print the tracepoints of a running Node process and their probes
`;

interface PidArgs {
  pid: number;
  patterns: string[];
  json: boolean;
  out: string | null;
  pprof: string | null;
  durationMs: number | null;
}

function parsePid(v: string): number {
  if (!/^\d{1,10}$/.test(v)) throw new WatchUsageError(`--pid wants a process id, got ${JSON.stringify(v.slice(0, 40))}`);
  return Number(v);
}

function parse(args: string[]): PidArgs {
  const w: PidArgs = { pid: 0, patterns: [], json: false, out: null, pprof: null, durationMs: null };
  eachArg(args, "watch", (m) => new WatchUsageError(m), (a, value) => {
    if (a === "--pid") w.pid = parsePid(value());
    else if (a === "--json") w.json = true;
    else if (a === "--out") w.out = value();
    else if (a === "--pprof") w.pprof = value();
    else if (a === "--duration") {
      const s = Number(value());
      if (!(s > 0 && s <= 86_400 * 365)) throw new WatchUsageError("watch: --duration wants a number of seconds");
      w.durationMs = s * 1000;
    } else if (a.startsWith("--")) throw new WatchUsageError(`watch: unknown option ${escapeText(a)}`);
    else w.patterns.push(a);
  });
  if (w.patterns.length === 0) throw new WatchUsageError("watch --pid: want at least one pattern");
  const why = checkPatterns(w.patterns);
  if (why) throw new WatchUsageError(`watch: ${why}`);
  return w;
}

export interface PidIo extends WatchIo {
  /** Resolves when what was written to stdout has been taken by its reader. */
  drained?: () => Promise<void>;
}

export async function watchPid(args: string[], io: PidIo): Promise<number> {
  const w = parse(args);
  const session = await openSession(w.pid);
  const id = randomBytes(8).toString("hex");
  const binding = `__tstrace_${id}`;
  const kept: WireEvent[] = [];
  const MAX_KEPT = 1_000_000;
  let dropped = 0;
  let failures = 0;
  let printedDrops = 0;
  let reply: DetachReply | null = null;
  let timeOrigin = 0;
  let ping: ReturnType<typeof setInterval> | undefined;
  try {
    const hello = await session.command("hello", null);
    timeOrigin = hello.timeOrigin;
    session.cdp.on("Runtime.bindingCalled", (p: { name?: string; payload?: string }) => {
      if (p?.name !== binding || typeof p.payload !== "string") return;
      const b = parseBatch(p.payload);
      if (b === null) return;
      const text = linesOf(b, { json: w.json, pid: w.pid, timeOrigin });
      if (text) io.stdout(text);
      if (w.out || w.pprof) for (const row of b.e) if (kept.length < MAX_KEPT) kept.push(eventAt(b, row));
      // Acknowledged once handled and printed (a slow reader of stdout holds the
      // ack back): the agent keeps a few batches in flight, no more, and drops the rest.
      void (io.drained?.() ?? Promise.resolve()).then(() => session.command("ping", { session: id, acked: b.n })).catch(() => {});
      dropped = b.d;
      failures = b.f;
      if (dropped > printedDrops) {
        io.stderr(`tstrace: ${dropped - printedDrops} events dropped in process ${w.pid} (its buffer was full; ${dropped} so far)\n`);
        printedDrops = dropped;
      }
    });
    await session.cdp.call("Runtime.addBinding", { name: binding });
    const { attached } = await session.command("attach", { session: id, binding, patterns: w.patterns, stacks: w.pprof !== null, closeInspector: session.opened });
    io.stderr(
      `tstrace: watching ${w.patterns.join(" ")} in process ${w.pid} (Node v${hello.node}, ${hello.tracepoints} tracepoints, ${attached} with probes); ` +
        `${w.durationMs ? `for ${w.durationMs / 1000} s` : "Ctrl-C to stop"}\n`,
    );
    // As the dev-server form notes it: a pattern that selects nothing yet (a typo, or `*`
    // where the package is `src/...`) stays attached for modules that load later.
    const tps = await session.command("list", null);
    // (The list is cut at 20,000 tracepoints: past that, say nothing rather than guess.)
    const none = tps.length < hello.tracepoints ? [] : w.patterns.filter((p) => {
      const m = compilePattern(p);
      return !tps.some((t) => m(t));
    });
    if (none.length > 0) io.stderr(`tstrace: note: nothing matches ${none.map((p) => escapeText(p)).join(" ")} yet in process ${w.pid}; watching for tracepoints that load later\n`);
    ping = setInterval(() => void session.command("ping", { session: id }).catch(() => {}), 2_000);
    const stop = [io.stopped.then(() => "stopped" as const)];
    if (w.durationMs) stop.push(new Promise((r) => setTimeout(r, w.durationMs!).unref()).then(() => "stopped" as const));
    const why = await Promise.race([...stop, session.cdp.closed]);
    if (why !== "stopped") {
      io.stderr(`tstrace: process ${w.pid} went away (${why})\n`);
      return 1;
    }
    reply = await session.command("detach", { session: id });
    await session.cdp.call("Runtime.removeBinding", { name: binding }).catch(() => {});
    if (reply) (dropped = reply.dropped), (failures = reply.failures);
  } finally {
    clearInterval(ping);
    await session.close().catch(() => {});
  }
  io.stderr(`tstrace: detached from process ${w.pid}${session.opened ? " and closed its inspector" : ""}; ${dropped} events dropped, ${failures} recorder failures\n`);
  if (w.out) {
    const events: RecordedEvent[] = kept.map((e) => ({ time: e.time, package: e.package, name: e.name, args: e.args, task: e.task }));
    writeFileSync(w.out, JSON.stringify(toTraceFile(events, { processName: `pid ${w.pid}`, dropped, failures })));
    io.stderr(`tstrace: wrote ${events.length} events to ${w.out}\n`);
  }
  if (w.pprof) {
    const r = reply ?? { stacks: [], startWall: Date.now(), durationMs: 0 };
    const profile = buildProfile(r.stacks, { mapFrame: null, eventFrames: true, startWall: r.startWall, durationMs: r.durationMs });
    writeFileSync(w.pprof, gzipSync(profile.encode()));
    io.stderr(`tstrace: wrote ${r.stacks.length} stacks to ${w.pprof}\n`);
  }
  return 0;
}

export async function listPid(args: string[], io: WatchIo): Promise<number> {
  let pid: number | null = null;
  eachArg(args, "list", (m) => new WatchUsageError(m), (a, value) => {
    if (a !== "--pid" || pid !== null) throw new WatchUsageError("list --pid: want exactly --pid PID");
    pid = parsePid(value());
  });
  if (pid === null) throw new WatchUsageError("list --pid: want exactly --pid PID");
  const session = await openSession(pid);
  try {
    const tps = await session.command("list", null);
    for (const t of tps) io.stdout(`${t.package}:${t.name}\t${t.probeCount} probes\t${t.location}\n`);
    io.stderr(`tstrace: ${tps.length} tracepoints, ${tps.reduce((n, t) => n + t.probeCount, 0)} probes attached\n`);
  } finally {
    await session.close();
  }
  return 0;
}
