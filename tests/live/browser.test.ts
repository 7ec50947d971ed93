// Issue 6: live probing in the Vite dev server, driven through the UI in Chromium.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Profile } from "pprof-format";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launch, screenshot, startDev, until, type Dev } from "./helpers.ts";

let dev: Dev;
let browser: Browser;
let app: Page;
let ui: Page;

beforeAll(async () => {
  dev = await startDev();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, acceptDownloads: true });
  app = await context.newPage();
  ui = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await dev?.server.close();
});

const rowTexts = () => ui.locator(".row:visible").allInnerTexts();

it("issue 6: prints the UI address at start", () => {
  expect(dev.log.join("\n")).toContain(`tracing: ${dev.url}__tracing/`);
});

it("issue 6: UI lists the page and its tracepoints as modules load, attaches by checkbox, shows events", async () => {
  await app.goto(dev.url);
  await ui.goto(`${dev.url}__tracing/`);
  await ui.locator("#pages li[data-page]").first().waitFor();
  expect(await ui.locator("#pages li[data-page] .url").innerText()).toBe(dev.url);
  await ui.locator('input[data-pattern="src/jobs:*"]').waitFor();
  // The chat package loads on demand: its tracepoint appears once it has.
  expect(await ui.locator('input[data-pattern="src/chat:*"]').count()).toBe(0);
  await app.click("#chat");
  await ui.locator('input[data-pattern="src/chat:*"]').waitFor();

  await ui.check("#stacks");
  await ui.check('input[data-pattern="src/jobs:*"]');
  await ui.check('input[data-pattern="src/net:traceResponse"]');
  await ui.locator("#patterns .chip", { hasText: "src/net:traceResponse" }).waitFor();
  // The page reports its probes back: the recorder's and the stack counter's.
  await until(() => ui.locator(".tp", { hasText: "traceJobDone" }).locator(".count").innerText(), (t) => t === "2", "probe count");
  expect(await ui.locator(".tp", { hasText: "traceRequest" }).locator(".count").innerText()).toBe("0");

  await app.click("#run");
  await until(rowTexts, (rows) => rows.some((r) => r.includes('job="missing-docs"') && r.includes("traceJobDone")), "events in the table");
  const rows = await rowTexts();
  expect(rows.filter((r) => r.includes("traceJobStart"))).toHaveLength(4);
  expect(rows.filter((r) => r.includes("traceResponse"))).toHaveLength(4);
  expect(rows.some((r) => r.includes("traceRequest"))).toBe(false);
  expect(rows.find((r) => r.includes("status=404"))).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+src\/net\s+traceResponse\s+id=\d+ status=404 ms=\d+\s+main$/);

  // Filtering.
  await ui.fill("#filter", "missing");
  await until(rowTexts, (r) => r.length === 2, "filtered rows");
  await ui.waitForTimeout(400); // the timeline redraws at most five times a second
  await screenshot(ui, "docs/live-ui-filter.png");
  await ui.fill("#filter", "");
  await until(rowTexts, (r) => r.length === 12, "all rows again");
  await ui.waitForTimeout(400);
  await screenshot(ui, "docs/live-ui.png");
});

it("issue 6: downloads the Perfetto trace and the pprof profile", async () => {
  const [traceDl] = await Promise.all([ui.waitForEvent("download"), ui.click("#trace")]);
  const trace = JSON.parse(readFileSync((await traceDl.path())!, "utf8"));
  const names = trace.traceEvents.filter((e: { ph: string }) => e.ph === "i").map((e: { cat: string; name: string }) => `${e.cat}:${e.name}`);
  expect(names.filter((n: string) => n === "src/jobs:traceJobDone")).toHaveLength(4);
  expect(trace.traceEvents.find((e: { args?: { job?: string } }) => e.args?.job === "missing-docs")).toBeTruthy();

  const [profDl] = await Promise.all([ui.waitForEvent("download"), ui.click("#pprof")]);
  expect(profDl.suggestedFilename()).toMatch(/\.pb\.gz$/);
  const profile = Profile.decode(gunzipSync(readFileSync((await profDl.path())!)));
  const strings = profile.stringTable.strings;
  expect(strings).toContain("src/jobs:traceJobStart");
  const total = profile.sample.reduce((n, s) => n + Number(s.value[0]), 0);
  expect(total).toBe(12);
  // Frames name the served modules, as paths under the root, at the lines of the
  // user's source (mapped through the dev server's transform maps): the trace calls
  // are on lines 13 and 15 of src/jobs/queue.ts.
  expect(strings.some((s) => s.startsWith("src/jobs/queue.ts"))).toBe(true);
  const fnFile = new Map(profile.function.map((f) => [f.id, strings[Number(f.filename)]]));
  const lines = new Set(
    profile.location.flatMap((l) => l.line.filter((ln) => fnFile.get(ln.functionId) === "src/jobs/queue.ts").map((ln) => Number(ln.line))),
  );
  expect([...lines]).toEqual(expect.arrayContaining([13, 15]));
});

it("issue 6: pause, clear, and a page that reloads comes back with its probes; a closed page is gone", async () => {
  await ui.click("#pause");
  await app.click("#run");
  await until(() => ui.locator("#stats").innerText(), (t) => t.includes("paused, 12 not recorded"), "all 12 events of the run skipped");
  expect((await rowTexts()).length).toBe(12);
  await ui.click("#pause");
  await ui.click("#clear");
  await until(rowTexts, (r) => r.length === 0, "cleared table");

  const before = await ui.locator("#pages li[data-page]").getAttribute("data-page");
  await app.reload();
  await until(() => ui.locator("#pages li[data-page]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.page)), (ids) => ids.length === 1 && ids[0] !== before, "the reloaded page, alone");
  await ui.locator("#patterns .chip", { hasText: "src/jobs:*" }).waitFor();
  await app.click("#run");
  await until(rowTexts, (r) => r.filter((x) => x.includes("traceJobDone")).length === 4, "events after the reload");

  await app.close();
  await ui.locator("#pages li.empty").waitFor();
  expect(dev.server.environments.client.hot).toBeTruthy();
});
