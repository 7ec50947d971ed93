// unplugin-tracing/otel: our events into OpenTelemetry, for users who send traces
// to Jaeger, Tempo or a Collector. `@opentelemetry/api` is an optional peer: only
// code that imports this module needs it.
//
// An event becomes a span event on the span active where it fired; a begin/end pair
// (as the recorder's `spans` option names them) becomes a span of its own, child of
// the span active at the begin event. The active span comes from the API's context,
// which the SDK's AsyncLocalStorage context manager carries across `await`, so a
// begin and its end in one async flow find the same parent, and concurrent flows
// stay apart. Arguments become attributes, bounded like the recorder's (depth,
// length, count). Nothing is attached until `start()`; `stop()` detaches all and
// ends spans still open (marked unfinished).

import { context, trace, type Attributes, type AttributeValue, type Span, type Tracer } from "@opentelemetry/api";
import { attach, ProbeGroup, setup, type Tracepoint } from "../tracing.ts";
import { serializeArgs, type Json, type SerializeOptions } from "../serialize.ts";

/** A pair of events that becomes one span. */
export interface OtelSpanSpec {
  /** `package:event` that opens the span. */
  begin: string;
  /** `package:event` that closes it. */
  end: string;
  /** The span's name. @default the begin event's name */
  name?: string;
  /**
   * Pairs an end with its begin: both give the same key from their arguments.
   * @default the span active where the event fired: begin and end in one async flow pair up
   */
  key?: (args: unknown[]) => unknown;
}

export interface OtelBridgeOptions {
  /** Events that become span events, as `attach()` takes them. @default [] */
  patterns?: string | readonly string[];
  /** Pairs of events that become spans. Their events are not span events too. */
  spans?: readonly OtelSpanSpec[];
  /** @default "unplugin-tracing" */
  tracerName?: string;
  /** Bounds of the attribute values. @default { maxDepth: 3, maxString: 200, maxArray: 20, maxKeys: 20, maxNodes: 100 } */
  serialize?: SerializeOptions;
  /** Attributes per event or span beyond which arguments are left out. @default 32 */
  maxAttributes?: number;
  /** Spans open at once beyond which new begins are not turned into spans (counted in `dropped`). @default 10_000 */
  maxOpenSpans?: number;
}

export class OtelBridge {
  /** Events not exported: no active span for a span event, an end without its begin, too many open spans. */
  dropped = 0;
  /** The bridge's own failures; never thrown into the traced code. */
  failures = 0;
  readonly #opts: OtelBridgeOptions;
  readonly #ser: SerializeOptions;
  #pg: ProbeGroup | null = null;
  #tracer: Tracer | null = null;
  /** open spans by span spec and key, latest last */
  #open = new Map<OtelSpanSpec, Map<unknown, Span[]>>();
  #openCount = 0;

  constructor(options: OtelBridgeOptions) {
    this.#opts = options;
    this.#ser = { maxDepth: 3, maxString: 200, maxArray: 20, maxKeys: 20, maxNodes: 100, ...options.serialize };
    const patterns = typeof options.patterns === "string" ? [options.patterns] : (options.patterns ?? []);
    if (patterns.length === 0 && (options.spans ?? []).length === 0) throw new TypeError("unplugin-tracing/otel: name patterns, spans, or both");
  }

  /** Attaches the probes; events go to OpenTelemetry from now on. Takes the lock. */
  start(): this {
    if (this.#pg !== null) return this;
    this.#tracer = trace.getTracer(this.#opts.tracerName ?? "unplugin-tracing");
    const pg = new ProbeGroup();
    const spans = this.#opts.spans ?? [];
    const roles = new Map<string, { spec: OtelSpanSpec; begin: boolean }[]>();
    for (const s of spans) {
      for (const [full, begin] of [[s.begin, true], [s.end, false]] as const) {
        const list = roles.get(full) ?? [];
        list.push({ spec: s, begin });
        roles.set(full, list);
      }
      this.#open.set(s, new Map());
    }
    const patterns = typeof this.#opts.patterns === "string" ? [this.#opts.patterns] : [...(this.#opts.patterns ?? [])];
    setup(() => {
      // One probe for the patterns and the span events: a tracepoint both name is handled once.
      attach([...patterns, ...roles.keys()], (tp, args) => this.#on(tp, args, roles.get(`${tp.package}:${tp.name}`)), pg);
    });
    this.#pg = pg;
    return this;
  }

  /** Detaches; spans still open end now with `unplugin_tracing.unfinished = true`. */
  stop(): void {
    if (this.#pg === null) return;
    this.#pg.done();
    this.#pg = null;
    for (const byKey of this.#open.values()) {
      for (const stack of byKey.values()) for (const s of stack) s.setAttribute("unplugin_tracing.unfinished", true), s.end();
      byKey.clear();
    }
    this.#openCount = 0;
  }

  #on(tp: Tracepoint, args: unknown[], roles: { spec: OtelSpanSpec; begin: boolean }[] | undefined): void {
    try {
      if (roles === undefined) {
        const span = trace.getActiveSpan();
        if (span === undefined) this.dropped++;
        else span.addEvent(`${tp.package}:${tp.name}`, this.#attributes(tp, args, ""));
        return;
      }
      for (const { spec, begin } of roles) {
        const key = spec.key ? spec.key(args) : (trace.getActiveSpan()?.spanContext().spanId ?? null);
        const byKey = this.#open.get(spec)!;
        if (begin) {
          if (this.#openCount >= (this.#opts.maxOpenSpans ?? 10_000)) {
            this.dropped++;
            continue;
          }
          const span = this.#tracer!.startSpan(spec.name ?? tp.name, { attributes: this.#attributes(tp, args, "") }, context.active());
          const stack = byKey.get(key);
          if (stack) stack.push(span);
          else byKey.set(key, [span]);
          this.#openCount++;
        } else {
          const stack = byKey.get(key);
          const span = stack?.pop();
          if (span === undefined) {
            this.dropped++;
            continue;
          }
          if (stack!.length === 0) byKey.delete(key);
          this.#openCount--;
          span.setAttributes(this.#attributes(tp, args, "end."));
          span.end();
        }
      }
    } catch {
      this.failures++;
    }
  }

  #attributes(tp: Tracepoint, args: unknown[], prefix: string): Attributes {
    const out: Attributes = prefix ? {} : { "unplugin_tracing.package": tp.package, "unplugin_tracing.event": tp.name };
    const named = serializeArgs(args, tp.params.map((p) => p.name), this.#ser);
    let n = 0;
    for (const k in named) {
      if (n++ >= (this.#opts.maxAttributes ?? 32)) break;
      out[prefix + k] = attributeValue(named[k]!);
    }
    return out;
  }
}

/** Attribute values are primitives (or arrays of one primitive type): anything else as JSON text. */
function attributeValue(v: Json): AttributeValue {
  if (v === null) return "null";
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}
