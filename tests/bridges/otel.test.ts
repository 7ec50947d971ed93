// unplugin-tracing/otel (issue 14, item 4) with the real OpenTelemetry JS SDK
// exporting over OTLP/HTTP (JSON) to a receiver on loopback: names, attributes and
// parent links as they arrive on the wire.
import { createServer, type Server } from "node:http";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { tracepoints } from "unplugin-tracing/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OtelBridge } from "../../runtime/bridges/otel.ts";
import { widget, widgetJob } from "./widget.ts";

interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  events?: { name: string; attributes: { key: string; value: Record<string, unknown> }[] }[];
}

const received: WireSpan[] = [];
let receiver: Server;
let provider: BasicTracerProvider;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const msg = JSON.parse(body);
      for (const rs of msg.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) received.push(...ss.spans);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/v1/traces`;
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  await new Promise((r) => receiver.close(r));
});

const attrs = (list: WireSpan["attributes"]) => Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));
const probes = (name: string) => tracepoints().find((t) => t.package === "tests/bridges" && t.name === name)!.probeCount;

it("turns events into span events and begin/end pairs into child spans across await, over OTLP/HTTP", async () => {
  const bridge = new OtelBridge({
    patterns: "tests/bridges:traceWidget",
    spans: [{ begin: "tests/bridges:traceWidgetBegin", end: "tests/bridges:traceWidgetEnd", name: "widget job" }],
  });
  widget(0, "before start");
  expect([probes("traceWidget"), probes("traceWidgetBegin")]).toEqual([0, 0]); // nothing attached until start
  bridge.start();
  expect([probes("traceWidget"), probes("traceWidgetBegin"), probes("traceWidgetEnd")]).toEqual([1, 1, 1]);

  const tracer = trace.getTracer("test");
  // Two requests at once: their jobs' begin and end straddle awaits and interleave.
  await Promise.all(
    [1, 2].map((id) =>
      tracer.startActiveSpan(`request ${id}`, async (span) => {
        widget(id, id === 2 ? "x".repeat(1000) : "hello");
        await widgetJob(id, () => new Promise((r) => setTimeout(r, id === 1 ? 20 : 1)));
        span.end();
      }),
    ),
  );
  widget(9, "no active span");
  bridge.stop();
  expect([probes("traceWidget"), probes("traceWidgetBegin"), probes("traceWidgetEnd")]).toEqual([0, 0, 0]);
  expect(bridge.dropped).toBe(1); // the event with no span active
  expect(bridge.failures).toBe(0);
  await provider.forceFlush();

  const byName = (n: string) => received.filter((s) => s.name === n);
  const [r1, r2] = [byName("request 1")[0]!, byName("request 2")[0]!];
  const jobs = byName("widget job");
  expect(jobs).toHaveLength(2);
  for (const [req, id] of [[r1, 1], [r2, 2]] as const) {
    const job = jobs.find((j) => attrs(j.attributes).id === String(id) || attrs(j.attributes).id === id)!;
    expect(job.parentSpanId).toBe(req.spanId);
    expect(job.traceId).toBe(req.traceId);
    expect(attrs(job.attributes)).toMatchObject({ "unplugin_tracing.package": "tests/bridges", "unplugin_tracing.event": "traceWidgetBegin", "end.id": id });
    expect(req.events!.map((e) => e.name)).toEqual(["tests/bridges:traceWidget"]);
  }
  expect(attrs(r1.events![0]!.attributes)).toMatchObject({ n: 1, label: "hello", "unplugin_tracing.event": "traceWidget" });
  // Arguments are bounded: a 1000-character label is cut.
  const long = attrs(r2.events![0]!.attributes).label as string;
  expect(long.length).toBeLessThan(260);
  expect(long.startsWith("xxxx")).toBe(true);
  expect(received.some((s) => JSON.stringify(s).includes("before start"))).toBe(false);
});
