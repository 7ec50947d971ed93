// Issue 6: live probing in the Vite dev server, driven through the UI in Chromium.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Profile } from "pprof-format";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LIMITS } from "../../runtime/live/limits.ts";
import { launch, recording, screenshot, startDev, until, type Dev } from "./helpers.ts";

let dev: Dev;
let browser: Browser;
let app: Page;
let ui: Page;
/** The trace the UI downloaded, and the rows the UI showed when it did. */
let saved: { path: string; name: string; rows: string[] };

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
  // Three attaches, three configures: the count above may be the second's; the page must have applied the last.
  await recording(app, ["src/jobs:*", "src/net:traceResponse"]);

  await app.click("#run");
  // All 12 (4 starts, 4 dones, 4 responses): under load the jobs' timers may end in another order, in other batches.
  await until(rowTexts, (rows) => rows.length === 12, "the run's 12 events in the table");
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
  const rows = await rowTexts();
  const [traceDl] = await Promise.all([ui.waitForEvent("download"), ui.click("#trace")]);
  const name = traceDl.suggestedFilename();
  saved = { path: join(mkdtempSync(join(tmpdir(), "tracing-ui-")), name), name, rows };
  await traceDl.saveAs(saved.path);
  const trace = JSON.parse(readFileSync(saved.path, "utf8"));
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

it("opens the downloaded trace in a fresh UI tab: same rows, tracepoints with counts, filter, read-only; a malformed file only shows why", async () => {
  const viewer = await ui.context().newPage();
  const rows = () => viewer.locator(".row:visible").allInnerTexts();
  await viewer.goto(`${dev.url}__tracing/`);
  await viewer.locator("#pages li[data-page]").first().waitFor();
  await viewer.setInputFiles("#open", saved.path);

  // A pseudo-page named after the file, next to the live page, selected.
  await viewer.locator("#pages li.saved.sel .url", { hasText: saved.name }).waitFor();
  expect(await viewer.locator("#pages li[data-page]").count()).toBe(2);
  expect(await viewer.locator("#pages li.saved .meta").innerText()).toBe(`saved · ${dev.url} · 12 events`);
  await until(rows, (r) => r.length === 12, "the recording's rows");
  // The same events as the live table showed, clock times included (the file carries the page's time origin).
  expect(await rows()).toEqual(saved.rows);
  expect((await rows()).find((r) => r.includes("status=404"))).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+src\/net\s+traceResponse\s+id=\d+ status=404 ms=\d+\s+main$/);

  // Tracepoints come from the events, with how often each fired; nothing to attach.
  expect(await viewer.locator('#tracepoints .tp[data-event="src/jobs:traceJobDone"] .count').innerText()).toBe("4");
  expect(await viewer.locator('#tracepoints .tp[data-event="src/net:traceResponse"] .count').innerText()).toBe("4");
  expect(await viewer.locator("#tracepoints input").count()).toBe(0);
  for (const id of ["#pattern", "#attach-button", "#stacks", "#pprof"]) expect(await viewer.locator(id).isDisabled()).toBe(true);

  await viewer.fill("#filter", "missing");
  await until(rows, (r) => r.length === 2 && r.every((x) => x.includes('job="missing-docs"')), "filtered rows");
  await viewer.waitForTimeout(400); // the timeline redraws at most five times a second
  await screenshot(viewer, "docs/live-ui-saved.png");
  await viewer.fill("#filter", "");
  await until(rows, (r) => r.length === 12, "all rows again");

  // Files that are not traces: a message, and nothing else changes.
  await viewer.setInputFiles("#open", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"traceEvents": [{"ph": "i", "na') });
  await viewer.locator("#notice.error", { hasText: "broken.json: not JSON (" }).waitFor();
  await viewer.setInputFiles("#open", { name: "other.json", mimeType: "application/json", buffer: Buffer.from('{"frames": []}') });
  await viewer.locator("#notice.error", { hasText: 'other.json: not a trace file: want { "traceEvents": [ … ] }' }).waitFor();
  expect(await viewer.locator("#pages li[data-page]").count()).toBe(2);
  expect(await viewer.locator("#pages li.sel .url").innerText()).toBe(saved.name);
  expect(await rows()).toEqual(saved.rows);
  await viewer.click("#notice-close");
  expect(await viewer.locator("#notice").isVisible()).toBe(false);

  // Back on the live page, attaching works again.
  await viewer.locator("#pages li:not(.saved)").click();
  await until(() => viewer.locator("#pattern").isDisabled(), (d) => !d, "attach enabled on the live page");
  expect(await viewer.locator('#tracepoints input[data-pattern="src/jobs:*"]').isChecked()).toBe(true);
  await viewer.close();
});

it("issue 6: pause, clear, and a page that reloads comes back with its probes; a closed page is gone", async () => {
  await ui.click("#pause");
  await app.click("#run");
  // Paused, the view stands still and the page keeps recording (issue 12).
  await until(() => ui.locator("#stats").innerText(), (t) => t.includes("paused, 12 waiting"), "all 12 events of the run waiting");
  expect((await rowTexts()).length).toBe(12);
  await ui.click("#pause");
  await until(rowTexts, (r) => r.length === 24, "the waiting events shown on resume");
  await ui.click("#clear");
  await until(rowTexts, (r) => r.length === 0, "cleared table");

  const before = await ui.locator("#pages li[data-page]").getAttribute("data-page");
  await app.reload();
  // Issue 12: the page keeps its id across the reload (sessionStorage), so the server gives it back its probes.
  await until(() => ui.locator("#pages li[data-page]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.page)), (ids) => ids.length === 1 && ids[0] === before, "the reloaded page, alone");
  await ui.locator("#patterns .chip", { hasText: "src/jobs:*" }).waitFor();
  // The list and the chip above are the server's, unchanged through the reload: wait for the reloaded page's probes.
  await recording(app, ["src/jobs:*", "src/net:traceResponse"]);
  await app.click("#run");
  await until(rowTexts, (r) => r.filter((x) => x.includes("traceJobDone")).length === 4, "events after the reload");

  // A closed tab is kept for LIMITS.pageGraceMs (it might be reloading), then it is gone.
  await app.close();
  await ui.locator("#pages li.empty").waitFor({ timeout: LIMITS.pageGraceMs + 5000 });
  expect(dev.server.environments.client.hot).toBeTruthy();
});
