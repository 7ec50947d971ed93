// Issue 6, safety: malformed and oversized messages are answered with an error and
// logged; neither the dev server nor the page stops working. Also: no live probing
// where it must not run.
import type { Browser } from "playwright-core";
import { createServer } from "vite";
import { expect, it } from "vitest";
import { checkCollect, checkConfigure } from "../../runtime/live/commands.ts";
import { checkPatterns } from "../../runtime/live/limits.ts";
import tracing from "../../src/vite.ts";
import { fitsSize } from "../../src/dev/validate.ts";
import { fixtureRoot, pagesSeen, rawClient, recording, until, type Dev, useDevAndBrowser } from "./helpers.ts";

let dev: Dev;
let browser: Browser;
useDevAndBrowser((d, b) => ((dev = d), (browser = b)));

it("issue 6: malformed messages get an error and a log line; server and page keep working", async () => {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(dev.url);

  const bad = await rawClient(dev);
  bad.raw("not json at all {");
  bad.raw(JSON.stringify({ type: "custom", event: "unplugin-tracing:attach" }));
  bad.send("unplugin-tracing:attach", { page: "*", patterns: ["src/jobs:*"] }); // before watch
  bad.send("unplugin-tracing:watch", { history: "yes" });
  bad.send("unplugin-tracing:watch", {});
  bad.send("unplugin-tracing:attach", "src/jobs:*");
  bad.send("unplugin-tracing:attach", { page: "*", patterns: ["x".repeat(10_000)] });
  bad.send("unplugin-tracing:attach", { page: "*", patterns: ["a\u001b[2J:*"] });
  bad.send("unplugin-tracing:attach", { page: "*", patterns: Array(1000).fill("a:*") });
  bad.send("unplugin-tracing:attach", { page: "no-such-page", patterns: ["src/jobs:*"] });
  bad.send("unplugin-tracing:attach", { page: "../../etc", patterns: ["src/jobs:*"] });
  bad.send("unplugin-tracing:profile", { page: "no-such-page", request: 1 });
  bad.send("unplugin-tracing:hello", { page: 42 });
  bad.send("unplugin-tracing:events", { page: "forged", events: [], dropped: 0, failures: 0 });
  bad.send("unplugin-tracing:events", { page: "forged", events: [{ time: "now" }], dropped: 0, failures: 0 });
  bad.send("unplugin-tracing:stacks", { page: "forged", request: 1, stacks: [], startWall: 0, durationMs: 0 });
  bad.send("unplugin-tracing:tracepoints", { page: "x", tracepoints: { length: 1e9 } });
  bad.send("unplugin-tracing:events", { page: "x", events: [], dropped: 0, failures: 0, junk: "y".repeat(9 * 1024 * 1024) });
  const refused = 16;
  const errors = await until(() => bad.got.filter((m) => m.event === "unplugin-tracing:error"), (e) => e.length >= refused, `${refused} error replies`);
  const text = errors.map((e) => `${e.data.event}: ${e.data.message}`).join("\n");
  expect(text).toContain("unplugin-tracing:attach: not watching");
  expect(text).toContain("unplugin-tracing:watch: want { history?: boolean, viewer?: id }");
  expect(text).toContain("a pattern has 1 to 200 characters");
  expect(text).toContain('malformed pattern "a\\u001b[2J:*" (control characters)');
  expect(text).toContain("at most 64 patterns");
  expect(text).toContain("no connected page no-such-page");
  expect(text).toContain("page forged is not registered on this connection");
  expect(text).toContain("events[0] is malformed");
  expect(text).toContain("message larger than");
  expect(dev.log.join("\n")).toContain("unplugin-tracing: refused unplugin-tracing:attach:");

  // A page id taken by another connection cannot be claimed.
  // The page may register after this socket's watch: it then comes as a change, not in the list.
  const ids = await until(() => [...pagesSeen(bad).keys()], (l) => l.length === 1, "the page");
  bad.send("unplugin-tracing:hello", { page: ids[0], url: "http://evil/", title: "", timeOrigin: 0 });
  await until(() => bad.got.filter((m) => m.event === "unplugin-tracing:error").map((m) => m.data.message), (m) => m.some((x: string) => x.includes("belongs to another connection")), "hijack refused");

  // Both sides still work: attach from the same socket, drive the page, see events.
  bad.send("unplugin-tracing:attach", { page: "*", patterns: ["src/jobs:traceJobDone"] });
  // The click must come after the page has applied what the server sent it.
  await recording(page, ["src/jobs:traceJobDone"]);
  await page.click("#run");
  await until(() => bad.got.filter((m) => m.event === "unplugin-tracing:page-events").flatMap((m) => m.data.events), (e) => e.length === 4, "events after the refusals");
  expect(pageErrors).toEqual([]);
  bad.ws.close();
  await page.close();
});

it("issue 6: the page refuses malformed commands itself", () => {
  expect(checkConfigure({ patterns: ["src/a:*"], stacks: false })).toEqual({ patterns: ["src/a:*"], stacks: false });
  expect(checkConfigure({ patterns: "src/a:*", stacks: false })).toMatch(/patterns must be an array/);
  expect(checkConfigure({ patterns: ["a\u0007"], stacks: false })).toMatch(/malformed pattern/);
  expect(checkConfigure({ patterns: [], stacks: "yes" })).toMatch(/stacks must be a boolean/);
  expect(checkCollect({ request: 1.5 })).toMatch(/want/);
  expect(checkPatterns(["**:trace*", "@acme/net/dist:traceConn*", "src/hello"])).toBeNull();
  expect(fitsSize({ a: "x".repeat(100) }, 50)).toBe(false);
  expect(fitsSize({ a: ["x"] }, 50)).toBe(true);
});

it("issue 6: no live probing without HMR (as under Vitest) or with live: false", async () => {
  for (const [config, plugin] of [
    [{ hmr: false }, tracing({ dts: false })],
    [{}, tracing({ dts: false, live: false })],
  ] as const) {
    const server = await createServer({ root: fixtureRoot, configFile: false, logLevel: "silent", server: { ...config, middlewareMode: true }, plugins: [plugin] });
    try {
      const html = await server.transformIndexHtml("/index.html", "<html><head></head><body></body></html>");
      expect(html).not.toContain("live/client");
    } finally {
      await server.close();
    }
  }
  const html = await dev.server.transformIndexHtml("/index.html", "<html><head></head><body></body></html>");
  expect(html).toContain("runtime/live/client");
});
