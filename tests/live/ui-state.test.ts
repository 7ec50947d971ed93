// Issue 12 item 4, the UI's side: it survives reloads of the app and of itself,
// Pause keeps recording, empty states say why, errors stay by their field.
import type { Browser, Page, WebSocket } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { recording, until, useDevAndBrowser, type Dev } from "./helpers.ts";

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
  // The empty state is the server's word: the page applies the configure on its own time.
  await recording(app, ["nonexistent:*", "src/jobs:*"]);
  await app.click("#run");
  await until(rows, (r) => r.length === 8, "8 job events");
  await ui.fill("#filter", "zzz");
  await until(empty, (t) => t === "no event matches the filter “zzz” (8 kept)", "the filter's empty state");
  await ui.fill("#filter", "");
  await until(rows, (r) => r.length === 8, "rows again");
  expect(await empty()).toBe("");
});

it("issue 12: a malformed pattern keeps its text and says why next to the field", async () => {
  // Any printable name is a valid pattern (a package path may hold `:` or brackets); a control character is not.
  await ui.fill("#pattern", "src/jobs:a\u0007b");
  await ui.click("#attach-button");
  await ui.locator("#pattern-error", { hasText: 'malformed pattern "src/jobs:a\\u0007b" (control characters)' }).waitFor();
  expect(await ui.inputValue("#pattern")).toBe("src/jobs:a\u0007b");
  expect(await ui.locator("#pattern.invalid").count()).toBe(1);
  // What only the server can refuse (all viewers' patterns on the page together) comes back to the field too, with the text.
  const many = Array.from({ length: 63 }, (_, i) => `x${i}:*`).join(" ");
  await ui.fill("#pattern", many);
  await ui.click("#attach-button");
  await ui.locator("#pattern-error", { hasText: "would have 65 patterns attached (by all viewers together), more than 64: nothing attached" }).waitFor();
  expect(await ui.inputValue("#pattern")).toBe(many);
  expect(await ui.locator("#patterns .chip").count()).toBe(2);
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
  // 12 waiting: the jobs' 8 and the responses attached two tests ago.
  await recording(app, ["src/jobs:*", "src/net:traceResponse"]);
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

  const sent: string[] = [];
  const listen = (ws: WebSocket) => ws.on("framesent", (f) => void (typeof f.payload === "string" && sent.push(f.payload)));
  ui.on("websocket", listen);
  await ui.reload();
  await until(rows, (r) => r.length === 16, "the recording back after the reload");
  ui.off("websocket", listen);
  // It watched again as the same viewer, so the server kept its patterns: nothing to attach again.
  expect(sent.filter((f) => f.includes('"unplugin-tracing:watch"'))).toHaveLength(1);
  expect(sent.filter((f) => f.includes('"unplugin-tracing:attach"'))).toEqual([]);
  expect(await rows()).toEqual(shown);
  expect(await ui.inputValue("#filter")).toBe("src/jobs");
  await ui.locator("#spans .chip", { hasText: "traceJobStart → traceJobDone (by job)" }).waitFor();
  await until(async () => (await ui.locator("#timeline-lanes li[data-kind=spans]").allInnerTexts()).join(), (t) => t === "main · traceJobStart → traceJobDone (by job): 8 slices", "slices again");
  await ui.locator('#patterns .chip[data-pattern="src/jobs:*"]').waitFor();
  // The server kept them for this viewer across its reload, so the app still records.
  await app.click("#run");
  await until(rows, (r) => r.length === 24, "events recorded after the UI's reload");
});

it("issue 12: a full reload of the app leaves the UI in place with its recording, and the reloaded page continues it", async () => {
  await ui.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const old = await pageId();
  const before = await rows();
  // What Vite sends when an edit cannot be hot-swapped.
  dev.server.environments.client.hot.send({ type: "full-reload", path: "*" });
  // The page keeps its id across the reload (sessionStorage): the server says it came back.
  await ui.locator("#pages li[data-page] .meta", { hasText: "2 loads" }).waitFor();
  expect(await pageId()).toBe(old);
  expect(await ui.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await rows()).toEqual(before);
  await ui.locator('#patterns .chip[data-pattern="src/jobs:*"]').waitFor();
  // "2 loads" says the new load said hello; its probes come with the configure the server sends back.
  await recording(app, ["src/jobs:*"]);
  await app.click("#run");
  await until(rows, (r) => r.length === before.length + 8, "the new page's events after the old ones");
  const all = await rows();
  // One recording, in time order, across the reload.
  const times = all.map((r) => r.slice(0, 12));
  expect([...times].sort()).toEqual(times);
});

it("issue 12: a UI opened after the app reloaded gets both loads' history from the server, on one clock", async () => {
  const before = await rows();
  // A tab of its own: nothing of the first UI's sessionStorage, only what the server kept.
  const fresh = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  await fresh.goto(`${dev.url}__tracing/`);
  await fresh.fill("#filter", "src/jobs");
  await until(() => fresh.locator(".row:visible").allInnerTexts(), (r) => r.length === before.length, "both loads' events");
  expect(await fresh.locator(".row:visible").allInnerTexts()).toEqual(before);
  await fresh.context().close();
});

it("issue 12: a duplicated UI tab (its sessionStorage copied) takes a viewer id of its own and attaches its remembered patterns under it", async () => {
  const stored = await ui.evaluate(() => Object.entries(sessionStorage));
  const mine = stored.find(([k]) => k === "unplugin-tracing:viewer")![1];
  const twin = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  await twin.addInitScript((entries) => {
    if (sessionStorage.length === 0) for (const [k, v] of entries) sessionStorage.setItem(k, v);
  }, stored);
  const sent: string[] = [];
  twin.on("websocket", (ws) => ws.on("framesent", (f) => void (typeof f.payload === "string" && sent.push(f.payload))));
  await twin.goto(`${dev.url}__tracing/`);
  await until(() => sent.filter((f) => f.includes('"unplugin-tracing:attach"')), (a) => a.length === 1, "the twin's attach");
  const watches = sent.filter((f) => f.includes('"unplugin-tracing:watch"')).map((f) => JSON.parse(f).data.viewer);
  // Its copied id is in use by the first tab (asked twice), then one of its own.
  expect(watches.slice(0, 2)).toEqual([mine, mine]);
  expect(watches[2]).not.toBe(mine);
  expect(JSON.parse(sent.find((f) => f.includes('"unplugin-tracing:attach"'))!).data.patterns).toEqual(expect.arrayContaining(["src/jobs:*", "src/net:traceResponse"]));
  await twin.context().close();
});
