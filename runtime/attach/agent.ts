// The agent `tstrace watch --pid` loads into a running Node process. Its one entry
// point, `globalThis[Symbol.for(AGENT_KEY)](command, data)`, is the only function
// the CLI calls: commands are names and their data plain values, checked here,
// never code. Each session is a Recorder (and, for --pprof, a StackCounter) on the
// patterns it was given; its events leave in batches through the binding the CLI
// added, on a timer, so the target's event loop never waits for the CLI.
//
// It must not change the process it observes: probes are the recorder's, the
// buffer is bounded (drops counted), batches are small so no send blocks the loop
// for long, every timer is unref'd (a watched process exits as it would), and a
// session whose CLI went away (no ping for STALE_MS) detaches by itself. When the
// last session ends, the entry point is removed again.

import { Recorder, type RecordedEvent } from "../recorder.ts";
import { tracepoints } from "../tracing.ts";
import { nodeBuiltin } from "../host.ts";
import { checkPatterns } from "../live/limits.ts";
import { StackCounter } from "../live/stack-counter.ts";
import type { WireTracepoint } from "../live/protocol.ts";
import { encodeBatch } from "./batch.ts";
import { AGENT_KEY, type AttachRequest, type CommandName, type Commands, type DetachReply } from "./protocol.ts";

/** Events kept between two flushes; beyond it the oldest are dropped (and counted). */
const BUFFER = 50_000;
/** Events waiting to be sent; beyond it new ones are dropped (and counted). */
const QUEUE = 30_000;
/**
 * Batches sent and not yet acknowledged by the CLI. A CLI that reads slowly makes
 * the agent wait (and drop, counted) instead of piling batches up in the inspector's
 * own unbounded send queue: memory stays bounded and so does an event's delay.
 */
const WINDOW = 8;
/** How often batches leave: well under the 1 s an event may take to reach the CLI. */
const FLUSH_MS = 50;
/** Events in one binding call: about 30 KB (see batch.ts), well under a millisecond to send. */
const BATCH = 2_000;
/** A session not pinged for this long lost its CLI (killed, say) and detaches. */
const STALE_MS = 10_000;
const MAX_STACKS = 10_000;
const MAX_TRACEPOINTS = 20_000;

interface Session {
  readonly id: string;
  readonly binding: string;
  readonly recorder: Recorder;
  readonly counter: StackCounter | null;
  readonly timer: ReturnType<typeof setInterval>;
  readonly closeInspector: boolean;
  lastPing: number;
  dropped: number;
  failures: number;
  /** Events taken from the recorder and not yet sent, in batches of at most BATCH. */
  queue: RecordedEvent[][];
  queued: number;
  sending: boolean;
  /** Batches sent, and the last one the CLI acknowledged. */
  sent: number;
  acked: number;
}

const sessions = new Map<string, Session>();
const key = Symbol.for(AGENT_KEY);
type Entry = <K extends CommandName>(command: K, data: Commands[K]["data"]) => Commands[K]["reply"];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === "string" && /^[\w-]{1,64}$/.test(v);

function hello(): Commands["hello"]["reply"] {
  const tps = tracepoints();
  return {
    pid: process.pid,
    node: process.versions.node,
    timeOrigin: performance.timeOrigin,
    sessions: sessions.size,
    probes: tps.reduce((n, t) => n + t.probeCount, 0),
    tracepoints: tps.length,
  };
}

function list(): WireTracepoint[] {
  return tracepoints()
    .slice(0, MAX_TRACEPOINTS)
    .map((t) => ({ package: t.package, name: t.name, signature: t.signature, location: t.location, probeCount: t.probeCount }));
}

function checkAttach(data: unknown): AttachRequest {
  if (!isRecord(data)) throw new TypeError("attach: want an object");
  if (!isId(data.session)) throw new TypeError("attach: session must be an id");
  if (typeof data.binding !== "string" || !/^[A-Za-z_$][\w$]{0,100}$/.test(data.binding)) throw new TypeError("attach: binding must be an identifier");
  const why = checkPatterns(data.patterns);
  if (why) throw new TypeError(`attach: ${why}`);
  if (typeof data.stacks !== "boolean") throw new TypeError("attach: stacks must be a boolean");
  return { session: data.session, binding: data.binding, patterns: [...(data.patterns as string[])], stacks: data.stacks, closeInspector: data.closeInspector === true };
}

function attachSession(req: AttachRequest): { attached: number } {
  if (sessions.has(req.session)) throw new Error(`attach: session ${req.session} is attached already`);
  const recorder = new Recorder({ patterns: req.patterns, bufferSize: BUFFER }).start();
  const counter = req.stacks ? new StackCounter(req.patterns, MAX_STACKS) : null;
  const s: Session = {
    id: req.session,
    binding: req.binding,
    recorder,
    counter,
    timer: setInterval(() => tick(s), FLUSH_MS),
    closeInspector: req.closeInspector === true,
    lastPing: Date.now(),
    dropped: 0,
    failures: 0,
    queue: [],
    queued: 0,
    sending: false,
    sent: 0,
    acked: 0,
  };
  s.timer.unref?.();
  sessions.set(s.id, s);
  return { attached: tracepoints().filter((t) => t.probeCount > 0).length };
}

function tick(s: Session): void {
  try {
    if (Date.now() - s.lastPing > STALE_MS) {
      // The CLI that opened the inspector cannot close it any more: the agent does.
      void detachSession(s.id).then(() => {
        if (s.closeInspector && sessions.size === 0) closeInspector();
      });
      return;
    }
    take(s);
    if (!s.sending) send(s);
  } catch {
    s.failures++;
  }
}

/** Moves recorded events out of the recorder, which keeps recording. */
function take(s: Session): void {
  const rec = s.recorder;
  const recorded = rec.events();
  s.dropped += rec.dropped;
  s.failures += rec.failures;
  rec.clear();
  // The queue is bounded too: a CLI that reads slowly costs events, never memory.
  const room = Math.max(0, QUEUE - s.queued);
  if (recorded.length > room) s.dropped += recorded.length - room;
  const n = Math.min(room, recorded.length);
  for (let i = 0; i < n; i += BATCH) s.queue.push(recorded.slice(i, Math.min(n, i + BATCH)));
  s.queued += n;
}

/** Sends one batch now and the rest on later turns of the loop, so no turn is long. */
function send(s: Session, final = false): boolean {
  const fn = (globalThis as Record<string, unknown>)[s.binding];
  if (typeof fn !== "function") return false;
  if (!final && s.sent - s.acked >= WINDOW) return false;
  const events = s.queue.shift();
  if (events === undefined) return false;
  s.queued -= events.length;
  (fn as (payload: string) => void)(encodeBatch(s.id, ++s.sent, events, s.dropped, s.failures));
  if (!final && s.queue.length > 0 && s.sent - s.acked < WINDOW) {
    s.sending = true;
    setImmediate(() => {
      s.sending = false;
      if (sessions.get(s.id) === s) send(s);
    });
  }
  return true;
}

/**
 * Stops recording, sends what is left one batch per turn of the loop (so detaching
 * a busy session does not block the target either), then answers with the totals.
 */
async function detachSession(id: string): Promise<DetachReply | null> {
  const s = sessions.get(id);
  if (s === undefined) return null;
  // Out of the map first: a send chain still scheduled stops, pings find nothing.
  sessions.delete(id);
  clearInterval(s.timer);
  s.recorder.stop();
  s.counter?.stop();
  take(s);
  while (s.queue.length > 0) {
    // (A binding gone with its session: what cannot be sent is dropped.)
    if (!send(s, true)) s.dropped += s.queue.splice(0).reduce((n, b) => n + b.length, 0);
    else await new Promise<void>((r) => setImmediate(r));
  }
  delete (globalThis as Record<string, unknown>)[s.binding];
  const c = s.counter;
  const reply: DetachReply = {
    dropped: s.dropped,
    failures: s.failures,
    stacks: c ? c.stacks() : [],
    startWall: c ? c.startWall : Date.now(),
    durationMs: c ? c.durationMs : 0,
  };
  if (sessions.size === 0) uninstall();
  return reply;
}

function closeInspector(): void {
  const inspector = nodeBuiltin<{ close(): void }>("node:inspector");
  setTimeout(() => {
    try {
      inspector?.close();
    } catch {
      // closed already
    }
  }, 0).unref?.();
}

const entry = function agent(command: string, data: unknown): unknown {
  switch (command as CommandName) {
    case "hello":
      return hello();
    case "list":
      return list();
    case "attach":
      return attachSession(checkAttach(data));
    case "ping": {
      const s = isRecord(data) && isId(data.session) ? sessions.get(data.session) : undefined;
      if (s === undefined) return false;
      s.lastPing = Date.now();
      // A ping carries the last batch the CLI has handled: room to send more now.
      const acked = (data as { acked?: unknown }).acked;
      if (Number.isSafeInteger(acked) && (acked as number) > s.acked && (acked as number) <= s.sent) {
        s.acked = acked as number;
        if (!s.sending) send(s);
      }
      return true;
    }
    case "detach":
      if (!isRecord(data) || !isId(data.session)) throw new TypeError("detach: want { session }");
      return detachSession(data.session);
    default:
      throw new TypeError(`unknown command ${JSON.stringify(String(command).slice(0, 40))}`);
  }
} as Entry;

/** Registers the entry point (idempotent). Called by load.cts each time the CLI loads the agent. */
export function install(): boolean {
  (globalThis as Record<symbol, unknown>)[key] = entry;
  return true;
}

function uninstall(): void {
  if ((globalThis as Record<symbol, unknown>)[key] === entry) delete (globalThis as Record<symbol, unknown>)[key];
}
