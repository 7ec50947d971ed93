// Server-side code in the Vite dev server (the SSR module runner, which evaluates
// modules in the dev server's own process and realm) as a live-probing target of
// its own, next to the pages. The runtime's registry lives on globalThis, so the
// tracepoints of modules the runner loaded are this process's tracepoints: this
// target answers the hub as a page would (configure, collect) and reports to it
// in-process, with the same recorder, stack counter and limits as the page client.
// It registers once the process has tracepoints, so an app without server-side
// tracing shows no empty target.

import { Recorder } from "../../runtime/recorder.ts";
import { tracepoints } from "../../runtime/tracing.ts";
import { takeBatches } from "../../runtime/live/batches.ts";
import { checkCollect, checkConfigure } from "../../runtime/live/commands.ts";
import { LIMITS } from "../../runtime/live/limits.ts";
import { StackCounter } from "../../runtime/live/stack-counter.ts";
import type { ConfigureMessage, WireTracepoint } from "../../runtime/live/protocol.ts";
import type { Hub, Peer } from "./hub.ts";

/** The target's id, as `tstrace watch --page ssr` names it. */
export const SSR_TARGET = "ssr";
const BUFFER = 20_000;
const FLUSH_MS = 100;
const POLL_MS = 500;

export function startSsrTarget(hub: Hub, info: { url: string; title: string }): () => void {
  let recorder: Recorder | null = null;
  let counter: StackCounter | null = null;
  let state: ConfigureMessage = { patterns: [], stacks: false };
  let dropped = 0;
  let failures = 0;
  let registered = false;
  let lastReport = "";
  let flushTimer: ReturnType<typeof setInterval> | undefined;

  const guard = (fn: () => void) => {
    try {
      fn();
    } catch {
      failures++;
    }
  };
  // The hub calls a page's peer from inside its own handlers: answer on a later turn.
  const peer: Peer = {
    send(event, data) {
      queueMicrotask(() =>
        guard(() => {
          if (event === "unplugin-tracing:configure") {
            const msg = checkConfigure(data);
            if (typeof msg !== "string") configure(msg);
          } else if (event === "unplugin-tracing:collect") {
            const msg = checkCollect(data);
            if (typeof msg === "string") return;
            const c = counter;
            hub.stacks(peer, {
              page: SSR_TARGET,
              request: msg.request,
              stacks: c ? c.stacks() : [],
              startWall: c ? c.startWall : Date.now(),
              durationMs: c ? c.durationMs : 0,
            });
          }
        }),
      );
    },
  };

  function report(force = false): void {
    const tps = tracepoints();
    if (!registered) {
      if (tps.length === 0) return;
      registered = true;
      hub.hello(peer, { page: SSR_TARGET, url: info.url, title: info.title, timeOrigin: performance.timeOrigin });
    }
    let key = "";
    for (const t of tps) key += `${t.package}:${t.name}:${t.hash}:${t.probeCount}\n`;
    if (!force && key === lastReport) return;
    lastReport = key;
    const list: WireTracepoint[] = tps
      .slice(0, LIMITS.maxTracepoints)
      .map((t) => ({ package: t.package, name: t.name, signature: t.signature, location: t.location, probeCount: t.probeCount }));
    hub.tracepoints(peer, { page: SSR_TARGET, tracepoints: list });
  }

  function flush(): void {
    if (recorder === null) return;
    const taken = takeBatches(recorder);
    dropped += taken.dropped;
    failures += taken.failures;
    for (const events of taken.batches) hub.events(peer, { page: SSR_TARGET, events, dropped, failures });
  }

  function configure(next: ConfigureMessage): void {
    const same = next.stacks === state.stacks && next.patterns.length === state.patterns.length && next.patterns.every((p, i) => p === state.patterns[i]);
    if (same) return;
    flush();
    recorder?.stop();
    counter?.stop();
    recorder = counter = null;
    state = next;
    if (next.patterns.length > 0) {
      recorder = new Recorder({ patterns: next.patterns, bufferSize: BUFFER }).start();
      if (next.stacks) counter = new StackCounter(next.patterns, LIMITS.maxStacks);
      if (flushTimer === undefined) {
        flushTimer = setInterval(() => guard(flush), FLUSH_MS);
        flushTimer.unref?.();
      }
    } else if (flushTimer !== undefined) {
      clearInterval(flushTimer);
      flushTimer = undefined;
    }
    report(true);
  }

  guard(() => report(true));
  const poll = setInterval(() => guard(() => report()), POLL_MS);
  poll.unref?.();
  return () => {
    clearInterval(poll);
    clearInterval(flushTimer);
    recorder?.stop();
    counter?.stop();
    recorder = counter = null;
    if (registered) guard(() => hub.disconnect(peer));
  };
}
