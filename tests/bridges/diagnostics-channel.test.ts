// unplugin-tracing/diagnostics-channel (issue 14, item 3): Node's channels as
// tracepoints (subscribed only while a probe is attached) with a real fetch through
// undici and Node's http server on loopback, and our tracepoints published on
// channels named after them.
import dc from "node:diagnostics_channel";
import { createServer } from "node:http";
import { Recorder } from "unplugin-tracing/recorder";
import { attach, setup, tracepoints } from "unplugin-tracing/runtime";
import { run } from "unplugin-tracing/tracetest";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  bridgeChannels,
  bridgeTracingChannel,
  channelEvent,
  channelOf,
  publishTracepoints,
  type PublishedEvent,
} from "../../runtime/bridges/diagnostics-channel.ts";
import { widget } from "./widget.ts";

const server = createServer((req, res) => res.end(`hello ${req.url}`));
let base = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

it("makes undici's and http's channels tracepoints, subscribed only while a probe is attached", async () => {
  bridgeChannels();
  const names = tracepoints().filter((t) => t.package === "diagnostics_channel").map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(["undici_request_create", "http_server_request_start", "http_server_response_finish"]));
  // Idle: nothing subscribed, so publishers skip their work as if we were not there.
  expect(dc.hasSubscribers("undici:request:create")).toBe(false);
  expect(dc.hasSubscribers("http.server.request.start")).toBe(false);
  await (await fetch(`${base}/idle`)).text();

  const rec = new Recorder({ patterns: ["diagnostics_channel:undici_request_*", "diagnostics_channel:http_server_*"] }).start();
  expect(dc.hasSubscribers("undici:request:create")).toBe(true);
  expect(dc.hasSubscribers("http.server.request.start")).toBe(true);
  expect(dc.hasSubscribers("net.client.socket")).toBe(false); // bridged, but no probe on it
  expect(await (await fetch(`${base}/watched`)).text()).toBe("hello /watched");
  rec.stop();
  expect(dc.hasSubscribers("undici:request:create")).toBe(false);
  expect(dc.hasSubscribers("http.server.request.start")).toBe(false);

  const events = rec.events();
  const create = events.find((e) => e.name === "undici_request_create");
  expect(create?.package).toBe("diagnostics_channel");
  expect(JSON.stringify(create?.args.message)).toContain("/watched");
  expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(["undici_request_create", "undici_request_headers", "http_server_request_start", "http_server_response_finish"]));
  expect(events.some((e) => JSON.stringify(e.args).includes("/idle"))).toBe(false);
});

class RequestStarted {
  constructor(readonly url: string) {}
}

it("lets tracetest expect a bridged channel's events", async () => {
  bridgeChannels(["http.server.request.start"]);
  await run(async (t) => {
    setup(() => attach("diagnostics_channel:http_server_request_start", (_tp, [m]) => t.rxEvent(new RequestStarted((m as { request: { url: string } }).request.url)), t.pg));
    const res = fetch(`${base}/checked`);
    await t.expect("default", new RequestStarted("/checked"));
    expect(await (await res).text()).toBe("hello /checked");
  });
  expect(dc.hasSubscribers("http.server.request.start")).toBe(false);
});

it("bridges a user's own TracingChannel, sync and async", async () => {
  const tc = dc.tracingChannel<object, { id: number }>("acme.op");
  const tps = bridgeTracingChannel("acme.op");
  expect(tps.map((t) => t.name)).toEqual(["tracing_acme_op_start", "tracing_acme_op_end", "tracing_acme_op_asyncStart", "tracing_acme_op_asyncEnd", "tracing_acme_op_error"]);
  const seen: string[] = [];
  const pp = setup(() => attach("diagnostics_channel:tracing_acme_op_*", (tp, [m]) => void seen.push(`${tp.name}:${(m as { id: number }).id}`)));
  tc.traceSync(() => 1, { id: 1 });
  await tc.tracePromise(async () => 2, { id: 2 });
  await expect(tc.tracePromise(async () => Promise.reject(new Error("no")), { id: 3 })).rejects.toThrow("no");
  setup(() => pp.detach());
  tc.traceSync(() => 1, { id: 4 });
  expect(seen).toEqual([
    "tracing_acme_op_start:1",
    "tracing_acme_op_end:1",
    "tracing_acme_op_start:2",
    "tracing_acme_op_end:2",
    "tracing_acme_op_asyncStart:2",
    "tracing_acme_op_asyncEnd:2",
    "tracing_acme_op_start:3",
    "tracing_acme_op_end:3",
    "tracing_acme_op_error:3",
    "tracing_acme_op_asyncStart:3",
    "tracing_acme_op_asyncEnd:3",
  ]);
  expect(tc.hasSubscribers).toBe(false);
});

it("names channels as identifiers and refuses to bridge its own channels back", () => {
  expect(channelEvent("undici:request:create")).toBe("undici_request_create");
  expect(() => bridgeChannels(["unplugin-tracing:x:traceY"])).toThrow("bridging it back would loop");
  const [a, b] = bridgeChannels(["acme.x", "acme_x"]);
  expect([a!.name, b!.name]).toEqual(["acme_x", "acme_x_2"]);
});

it("publishes our tracepoints on channels named after them, while opted in", () => {
  const got: PublishedEvent[] = [];
  const name = channelOf({ package: "tests/bridges", name: "traceWidget" });
  expect(name).toBe("unplugin-tracing:tests/bridges:traceWidget");
  const listener = (m: unknown) => void got.push(m as PublishedEvent);
  const pub = publishTracepoints("tests/bridges:traceWidget");
  widget(1, "before anyone listens");
  dc.subscribe(name, listener);
  widget(2, "heard");
  pub.stop();
  widget(3, "after stop");
  dc.unsubscribe(name, listener);
  expect(got).toEqual([{ package: "tests/bridges", event: "traceWidget", args: { n: 2, label: "heard" } }]);
  expect(tracepoints().find((t) => t.name === "traceWidget")?.probeCount).toBe(0);
});
