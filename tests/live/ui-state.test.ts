// Issue 12 item 4, the UI's side: it survives reloads of the app and of itself,
// Pause keeps recording, empty states say why, errors stay by their field.
import type { Browser, Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { until, useDevAndBrowser, type Dev } from "./helpers.ts";

let dev: Dev;
let browser: Browser;
let ui: Page;
let app: Page;

useDevAndBrowser((d, b) => ((dev = d), (browser = b)));

beforeAll(async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  app = await context.newPage();
  ui = await context.newPage();
  await app.goto(dev.url);
  await ui.goto(`${dev.url}__tracing/`);
  await ui.locator("#pages li[data-page]").first().waitFor();
  await ui.locator('input[data-pattern="src/jobs:*"]').waitFor();
});

const rows = () => ui.locator(".row:visible").allInnerTexts();
const empty = () => ui.locator("#rows-empty").innerText();
const pageId = () => ui.locator("#pages li[data-page]").first().getAttribute("data-page");

it("issue 12: empty states say why: nothing attached, a pattern that matches nothing yet, a filter that matches nothing", async () => {
  expect(await empty()).toBe("no events yet: attach a probe (tick a tracepoint or type a pattern)");
  await ui.fill("#pattern", "nonexistent:*");
  await ui.click("#attach-button");
  await ui.locator('#patterns .chip.none[data-pattern="nonexistent:*"]', { hasText: "matches nothing yet" }).waitFor();
  await until(empty, (t) => t === "nothing recorded: nonexistent:* matches no tracepoint of this page yet", "the empty state of a pattern that matches nothing");

  await ui.check('input[data-pattern="src/jobs:*"]');
  await until(empty, (t) => t === "recording nonexistent:*, src/jobs:*: no events yet, use the app", "waiting for events");
  expect(await ui.locator('#patterns .chip[data-pattern="src/jobs:*"]').getAttribute("class")).toBe("chip");
  await app.click("#run");
  await until(rows, (r) => r.length === 8, "8 job events");
  await ui.fill("#filter", "zzz");
  await until(empty, (t) => t === "no event matches the filter “zzz” (8 kept)", "the filter's empty state");
  await ui.fill("#filter", "");
  await until(rows, (r) => r.length === 8, "rows again");
  expect(await empty()).toBe("");
});

it("issue 12: a malformed pattern keeps its text and says why next to the field", async () => {
  await ui.fill("#pattern", "src/jobs:a:b");
  await ui.click("#attach-button");
  await ui.locator("#pattern-error", { hasText: 'malformed pattern "src/jobs:a:b"' }).waitFor();
  expect(await ui.inputValue("#pattern")).toBe("src/jobs:a:b");
  expect(await ui.locator("#pattern.invalid").count()).toBe(1);
  // Typing clears the message; a good pattern is attached and the field emptied.
  await ui.fill("#pattern", "src/net:traceResponse");
  expect(await ui.locator("#pattern-error").innerText()).toBe("");
  await ui.click("#attach-button");
  await ui.locator('#patterns .chip[data-pattern="src/net:traceResponse"]').waitFor();
  expect(await ui.inputValue("#pattern")).toBe("");
});

it("issue 12: Download pprof without count stacks says so and downloads nothing", async () => {
  let downloads = 0;
  ui.on("download", () => downloads++);
  await ui.click("#pprof");
  await ui.locator("#notice.error", { hasText: "count stacks is off for this page" }).waitFor();
  await ui.waitForTimeout(300);
  expect(downloads).toBe(0);
  await ui.click("#notice-close");
});

it("issue 12: Pause stops the view and keeps recording; it says how many wait, Resume shows them", async () => {
  const before = (await rows()).length;
  await ui.click("#pause");
  await app.click("#run");
  await until(() => ui.locator("#stats").innerText(), (t) => t.includes("paused, 12 waiting"), "12 events waiting");
  expect((await rows()).length).toBe(before);
  await ui.click("#pause");
  await until(rows, (r) => r.length === before + 12, "the waiting events shown");
  expect(await ui.locator("#stats").innerText()).not.toContain("paused");
});

it("issue 12: the UI survives its own reload: same recording, its patterns still record, its spans and filter stay", async () => {
  await ui.selectOption("#span-begin", "src/jobs:traceJobStart");
  await ui.selectOption("#span-end", "src/jobs:traceJobDone");
  await ui.fill("#span-key", "job");
  await ui.click("#span-add");
  await ui.locator("#spans .chip", { hasText: "traceJobStart → traceJobDone (by job)" }).waitFor();
  await ui.fill("#filter", "src/jobs");
  await until(rows, (r) => r.length === 16, "the jobs' rows");
  const shown = await rows();

  await ui.reload();
  await until(rows, (r) => r.length === 16, "the recording back after the reload");
  expect(await rows()).toEqual(shown);
  expect(await ui.inputValue("#filter")).toBe("src/jobs");
  await ui.locator("#spans .chip", { hasText: "traceJobStart → traceJobDone (by job)" }).waitFor();
  await until(async () => (await ui.locator("#timeline-lanes li[data-kind=spans]").allInnerTexts()).join(), (t) => t === "main · traceJobStart → traceJobDone (by job): 8 slices", "slices again");
  await ui.locator('#patterns .chip[data-pattern="src/jobs:*"]').waitFor();
  // The viewer that attached them is gone; the patterns were attached again, so the app still records.
  await app.click("#run");
  await until(rows, (r) => r.length === 24, "events recorded after the UI's reload");
});

it("issue 12: a full reload of the app leaves the UI in place with its recording, and the reloaded page continues it", async () => {
  await ui.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const old = await pageId();
  const before = await rows();
  // What Vite sends when an edit cannot be hot-swapped.
  dev.server.environments.client.hot.send({ type: "full-reload", path: "*" });
  await until(pageId, (id) => id !== null && id !== old, "the reloaded page");
  expect(await ui.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await rows()).toEqual(before);
  await ui.locator('#patterns .chip[data-pattern="src/jobs:*"]').waitFor();
  await app.click("#run");
  await until(rows, (r) => r.length === before.length + 8, "the new page's events after the old ones");
  const all = await rows();
  // One recording, in time order, across the reload.
  const times = all.map((r) => r.slice(0, 12));
  expect([...times].sort()).toEqual(times);
});
