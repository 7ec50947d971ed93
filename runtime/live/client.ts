// The live-probing client, injected by the plugin into every page the Vite dev
// server serves (never in builds, never under Vitest). It registers the page with
// the server over the HMR websocket, reports the page's tracepoints as modules load,
// applies the probe state the server sends, and streams recorded events in batches.
//
// It must not change the page it observes: probes are the recorder's (they return
// nothing and never throw), the buffer is bounded (a ring: the oldest events are
// overwritten and counted as dropped), events leave in batches on a timer, and
// every handler catches its own failures and reports them instead of throwing.

import { Recorder } from "../recorder.ts";
import { tracepoints } from "../tracing.ts";
import { takeBatches } from "./batches.ts";
import { checkCollect, checkConfigure } from "./commands.ts";
import { LIMITS } from "./limits.ts";
import type { ConfigureMessage, MessageName, Messages, WireTracepoint } from "./protocol.ts";
import { StackCounter } from "./stack-counter.ts";

/** Events kept between two flushes; beyond it the oldest are dropped. */
const BUFFER = 20_000;
/** How often recorded events are sent. */
const FLUSH_MS = 100;
/** How often the tracepoint list is checked for modules that loaded since. */
const POLL_MS = 500;

type Hot = NonNullable<ImportMeta["hot"]>;

/** How often stack counts are reported while counting. */
const STACKS_MS = 1000;
/** Where the page keeps its id across reloads (per tab, as sessionStorage is). */
const ID_KEY = "unplugin-tracing:page";

function newPageId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The id this tab had before a reload, so the server gives it back its probes and history. */
function pageId(fresh = false): string {
  try {
    const kept = fresh ? null : sessionStorage.getItem(ID_KEY);
    if (kept !== null && /^[\w-]{1,64}$/.test(kept)) return kept;
    const id = newPageId();
    sessionStorage.setItem(ID_KEY, id);
    return id;
  } catch {
    return newPageId(); // storage denied (sandboxed frame): a reload is a new page
  }
}

function startClient(hot: Hot): void {
  let page = pageId();
  let retried = false;
  let online = true;
  let recorder: Recorder | null = null;
  let counter: StackCounter | null = null;
  let state: ConfigureMessage = { patterns: [], stacks: false };
  let dropped = 0;
  let failures = 0;
  let lastReport = "";
  let flushTimer: ReturnType<typeof setInterval> | undefined;

  const send = <K extends MessageName>(name: K, data: Messages[K]): boolean => {
    if (!online) return false;
    try {
      hot.send(name as string, data as never);
      return true;
    } catch {
      failures++;
      return false;
    }
  };
  const guard =
    <T>(fn: (data: T) => void) =>
    (data: T): void => {
      try {
        fn(data);
      } catch (err) {
        failures++;
        send("unplugin-tracing:page-error", { page, message: String((err as Error)?.message ?? err).slice(0, 500) });
      }
    };

  const hello = () => send("unplugin-tracing:hello", { page, url: location.href, title: document.title, timeOrigin: performance.timeOrigin });

  function report(force = false): void {
    const tps = tracepoints();
    let key = "";
    for (const t of tps) key += `${t.package}:${t.name}:${t.hash}:${t.probeCount}\n`;
    if (!force && key === lastReport) return;
    const list: WireTracepoint[] = tps.slice(0, LIMITS.maxTracepoints).map((t) => ({
      package: t.package,
      name: t.name,
      signature: t.signature,
      location: t.location,
      probeCount: t.probeCount,
    }));
    if (send("unplugin-tracing:tracepoints", { page, tracepoints: list })) lastReport = key;
  }

  function flush(): void {
    if (recorder === null) return;
    const taken = takeBatches(recorder);
    dropped += taken.dropped;
    failures += taken.failures;
    if (taken.batches.length === 0 && taken.dropped === 0) return;
    // With only drops to report, one empty batch carries the count.
    for (const batch of taken.batches.length > 0 ? taken.batches : [[]]) {
      // Offline, the batch would pile up in Vite's own send buffer: drop it here instead.
      if (!send("unplugin-tracing:events", { page, events: batch, dropped, failures })) dropped += batch.length;
    }
  }

  /** Sends the stacks counted since the last report (request 0: unasked). */
  function reportStacks(request = 0): void {
    const c = counter;
    if (request === 0 && (c === null || !c.pending)) return;
    send("unplugin-tracing:stacks", { page, request, stacks: c ? c.take() : [], startWall: c ? c.startWall : Date.now(), durationMs: c ? c.durationMs : 0 });
  }

  function configure(next: ConfigureMessage): void {
    const same = next.stacks === state.stacks && next.patterns.length === state.patterns.length && next.patterns.every((p, i) => p === state.patterns[i]);
    if (same) return;
    flush();
    reportStacks();
    recorder?.stop();
    recorder = null;
    counter?.stop();
    counter = null;
    state = next;
    if (next.patterns.length > 0) {
      recorder = new Recorder({ patterns: next.patterns, bufferSize: BUFFER }).start();
      if (next.stacks) counter = new StackCounter(next.patterns, LIMITS.maxStacks);
      flushTimer ??= setInterval(guard(flush), FLUSH_MS);
    } else if (flushTimer !== undefined) {
      clearInterval(flushTimer);
      flushTimer = undefined;
    }
    report(true);
  }

  hot.on(
    "unplugin-tracing:configure",
    guard((data: unknown) => {
      const msg = checkConfigure(data);
      if (typeof msg === "string") throw new Error(msg);
      configure(msg);
    }),
  );
  hot.on(
    "unplugin-tracing:collect",
    guard((data: unknown) => {
      const msg = checkCollect(data);
      if (typeof msg === "string") throw new Error(msg);
      reportStacks(msg.request);
    }),
  );
  hot.on(
    "unplugin-tracing:error",
    guard((data: unknown) => {
      // Another connection holds this id: the socket of the load before a reload whose
      // close the server has not seen yet (ask again, once), or another tab (a
      // duplicated tab copies sessionStorage): then take a new id.
      const d = data as { event?: unknown; message?: unknown } | null;
      if (d?.event === "unplugin-tracing:hello" && typeof d.message === "string" && d.message.includes("belongs to another connection")) {
        if (!retried) {
          retried = true;
          setTimeout(guard(() => (hello(), report(true))), 500);
          return;
        }
        page = pageId(true);
        hello();
        report(true);
      }
    }),
  );
  hot.on("vite:ws:disconnect", () => {
    online = false;
  });
  hot.on(
    "vite:ws:connect",
    guard(() => {
      online = true;
      hello();
      report(true);
    }),
  );

  hello();
  report(true);
  setInterval(guard(() => report()), POLL_MS);
  setInterval(guard(() => reportStacks()), STACKS_MS);
  // A reload or a navigation: send what is buffered; the server keeps it for the next load.
  addEventListener("pagehide", guard(() => (flush(), reportStacks())));
}

if (import.meta.hot) {
  try {
    startClient(import.meta.hot);
  } catch {
    // Live probing is a convenience: it must never break the page.
  }
}
