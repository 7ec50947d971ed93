// unplugin-tracing/diagnostics-channel (Node only): Node's diagnostics_channel and
// our tracepoints, both ways.
//
// In: `bridgeChannels(names)` makes each named channel a tracepoint of the package
// `diagnostics_channel` (`undici:request:create` -> `diagnostics_channel:
// undici_request_create`, with one argument, the message), so attach(), the
// recorder, the live UI, `tstrace watch` and tracetest see it. The bridge
// subscribes to a channel only while a probe is attached to its tracepoint (the
// registry's onLive hook, at unlock): with nothing attached, publishers see a
// channel without subscribers, as if we were not there.
//
// Out: `publishTracepoints(patterns)` publishes every matching event on a channel
// named after it (`unplugin-tracing:src/http:traceRequest`), for APM agents that
// listen there. It is opt in: it keeps a probe attached, so those trace calls
// evaluate their arguments and call the probe, which publishes only when the
// channel has subscribers.

import { attach, defineTracepoint, setup, Tracepoint, type PatternProbe, type ProbeFn } from "../tracing.ts";
import { nodeBuiltin } from "../host.ts";

type DiagnosticsChannel = typeof import("node:diagnostics_channel");
type Listener = (message: unknown, name: string | symbol) => void;

/** The package bridged channels belong to. */
export const PACKAGE = "diagnostics_channel";
/** Prefix of the channels `publishTracepoints` publishes on. */
export const OUT_PREFIX = "unplugin-tracing:";
const HASH = "diagnostics_channel.v1";

/**
 * Channels Node 20 and its bundled undici (the global fetch) publish, for
 * `bridgeChannels()` without names.
 */
export const KNOWN_CHANNELS: readonly string[] = [
  "undici:request:create",
  "undici:request:bodySent",
  "undici:request:headers",
  "undici:request:trailers",
  "undici:request:error",
  "undici:client:sendHeaders",
  "undici:client:beforeConnect",
  "undici:client:connected",
  "undici:client:connectError",
  "http.client.request.start",
  "http.client.response.finish",
  "http.server.request.start",
  "http.server.response.finish",
  "net.client.socket",
  "net.server.socket",
];

/** The five channels of a TracingChannel named `name`. */
export const tracingChannelNames = (name: string): string[] =>
  ["start", "end", "asyncStart", "asyncEnd", "error"].map((kind) => `tracing:${name}:${kind}`);

/** A channel's event name: every character an identifier cannot hold becomes `_`. */
export function channelEvent(channel: string): string {
  return channel.replace(/[^\w$]/g, "_");
}

function dc(): DiagnosticsChannel {
  const mod = nodeBuiltin<DiagnosticsChannel>("node:diagnostics_channel");
  if (mod === undefined) throw new Error("unplugin-tracing/diagnostics-channel: needs Node >= 20.16 (process.getBuiltinModule)");
  return mod;
}

/** A channel as a tracepoint: subscribed while it has live probes. */
class ChannelTracepoint extends Tracepoint {
  readonly channel: string;
  /** Times subscribing or unsubscribing failed (never thrown into the unlock). */
  failures = 0;
  #subscribed = false;
  readonly #listener: Listener = (message) => {
    if (this.p !== null) void this.fire(message);
  };

  constructor(channel: string, event: string) {
    super(PACKAGE, event, [{ name: "message", type: "unknown" }], HASH, `diagnostics_channel "${channel}"`);
    this.channel = channel;
  }

  fire(message: unknown): void | Promise<void> {
    const ps = this.p!;
    let w: PromiseLike<unknown>[] | null = null;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (i !== 0 && this.p !== ps && !p.on) continue;
      const r = p.fn(message) as PromiseLike<unknown> | undefined;
      if (r != null && typeof r.then === "function") (w ??= []).push(r);
    }
    return w === null ? undefined : this.settle(w);
  }

  wrap(f: (tp: Tracepoint, args: unknown[]) => unknown): ProbeFn {
    return (message: unknown) => f(this, [message]);
  }

  override onLive(live: boolean): void {
    if (live === this.#subscribed) return;
    try {
      if (live) dc().subscribe(this.channel, this.#listener);
      else dc().unsubscribe(this.channel, this.#listener);
      this.#subscribed = live;
    } catch {
      this.failures++;
    }
  }
}

const byEvent = new Map<string, string>();

/**
 * Makes each channel a tracepoint of the package `diagnostics_channel` (default:
 * KNOWN_CHANNELS). Idempotent. Nothing subscribes until a probe attaches.
 * Returns the tracepoints, in the order of `names`.
 */
export function bridgeChannels(names: readonly string[] = KNOWN_CHANNELS): Tracepoint[] {
  dc();
  return names.map((channel) => {
    if (typeof channel !== "string" || channel === "" || channel.length > 200) throw new TypeError("bridgeChannels: a channel name is a string of 1 to 200 characters");
    if (channel.startsWith(OUT_PREFIX)) throw new TypeError(`bridgeChannels: ${channel} is one of ours (publishTracepoints); bridging it back would loop`);
    let event = channelEvent(channel);
    // `a.b` and `a_b` would share a name: the second gets a suffix.
    for (let n = 2; byEvent.has(event) && byEvent.get(event) !== channel; n++) event = `${channelEvent(channel)}_${n}`;
    byEvent.set(event, channel);
    return defineTracepoint(new ChannelTracepoint(channel, event));
  });
}

/** Bridges the five channels of the TracingChannel `name` (`tracing:<name>:start`, ...). */
export function bridgeTracingChannel(name: string): Tracepoint[] {
  return bridgeChannels(tracingChannelNames(name));
}

/** The channel `publishTracepoints` publishes a tracepoint's events on. */
export const channelOf = (tp: { package: string; name: string }): string => `${OUT_PREFIX}${tp.package}:${tp.name}`;

/** What a published event carries: the raw argument values by parameter name. */
export interface PublishedEvent {
  package: string;
  event: string;
  args: Record<string, unknown>;
}

/** The handle `publishTracepoints` returns. */
export interface Publisher {
  /** Detaches the publishing probe (takes the lock). */
  stop(): void;
}

/**
 * Publishes the events of every tracepoint matching `patterns` on a channel named
 * after it (`channelOf`), now and as modules load, until `stop()`. Bridged channels
 * are never published back.
 */
export function publishTracepoints(patterns: string | readonly string[]): Publisher {
  const d = dc();
  const channels = new WeakMap<Tracepoint, { ch: ReturnType<DiagnosticsChannel["channel"]>; names: string[] } | null>();
  const probe = (tp: Tracepoint, args: unknown[]): void => {
    let c = channels.get(tp);
    if (c === undefined) {
      c = tp.package === PACKAGE ? null : { ch: d.channel(channelOf(tp)), names: tp.params.map((p) => p.name) };
      channels.set(tp, c);
    }
    if (c === null || !c.ch.hasSubscribers) return;
    const named: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i++) named[c.names[i] ?? `arg${i}`] = args[i];
    c.ch.publish({ package: tp.package, event: tp.name, args: named } satisfies PublishedEvent);
  };
  let pp: PatternProbe | null = setup(() => attach(patterns, probe));
  return {
    stop() {
      if (pp === null) return;
      const p = pp;
      pp = null;
      setup(() => p.detach());
    },
  };
}
