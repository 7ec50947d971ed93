// Issue 12 item 5: a timeline worth opening, driven in Chromium. A recording the
// Node recorder wrote (three tasks, spans, ten kinds of events) opened in the UI,
// and the live fixture app with spans defined in the UI.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { Recorder, task } from "../../runtime/recorder.ts";
import { manualTracepoint } from "../helpers/manual-tracepoint.ts";
import { recording, screenshot, until, useDevAndBrowser, type Dev } from "./helpers.ts";

let dev: Dev;
let browser: Browser;
let ui: Page;
let app: Page;
/** The recording: its file, and each event's time (ms) by `package:event` and first argument. */
let rec: { path: string; at: (key: string, first?: unknown) => number };

useDevAndBrowser((d, b) => ((dev = d), (browser = b)));

beforeAll(async () => {
  const conn0 = manualTracepoint("demo/net", "traceConnStart", ["id", "host"]);
  const conn1 = manualTracepoint("demo/net", "traceConnEnd", ["id", "bytes"]);
  const kinds = ["Boot", "Route", "Render", "Paint", "Click", "Fetch", "Parse", "Idle"].map((n) => manualTracepoint("demo/app", `trace${n}`, ["n"]));
  const r = new Recorder({ patterns: ["demo/*:*"], spans: [{ begin: "demo/net:traceConnStart", end: "demo/net:traceConnEnd", name: "conn", key: (a) => a[0] }] }).start();
  const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
  kinds.forEach((k, i) => k.signal(i));
  await Promise.all(
    ["a", "b"].map((host, i) =>
      task(`fetch ${host}`, async () => {
        await sleep(2 + i * 3);
        conn0.signal(i + 1, `${host}.example`);
        await sleep(8);
        conn1.signal(i + 1, 1000 * (i + 1));
      }),
    ),
  );
  kinds[7]!.signal(99);
  r.stop();
  const path = join(mkdtempSync(join(tmpdir(), "tracing-timeline-")), "tasks.json");
  await r.writeFile(path);
  // Each event's time, from the file: instants, and both halves of each slice.
  const times: Array<{ key: string; first: unknown; time: number }> = [];
  for (const e of JSON.parse(readFileSync(path, "utf8")).traceEvents) {
    if (e.ph === "i") times.push({ key: `${e.cat}:${e.name}`, first: Object.values(e.args)[0], time: e.ts / 1000 });
    if (e.ph === "X")
      for (const [half, ts] of [
        [e.args.begin, e.ts],
        [e.args.end, e.ts + e.dur],
      ])
        times.push({ key: `${e.cat}:${half.event}`, first: Object.values(half.args)[0], time: ts / 1000 });
  }
  rec = {
    path,
    at(key, first) {
      const e = times.find((x) => x.key === key && (first === undefined || x.first === first));
      if (!e) throw new Error(`no ${key} ${first} in the recording`);
      return e.time;
    },
  };
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, acceptDownloads: true });
  app = await context.newPage();
  ui = await context.newPage();
  await app.goto(dev.url);
  await ui.goto(`${dev.url}__tracing/`);
  await ui.locator("#pages li[data-page]").first().waitFor();
});

const lanes = () => ui.locator("#timeline-lanes li").evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
const track = () =>
  ui.locator("#timeline").evaluate((c) => {
    const r = c.getBoundingClientRect();
    const d = (c as HTMLElement).dataset;
    return { left: r.left + Number(d.trackX), top: r.top, w: Number(d.trackW), start: Number(d.viewStart), end: Number(d.viewEnd) };
  });
type Track = Awaited<ReturnType<typeof track>>;
/** Presses `key` on the timeline and waits for the frame that draws it (input is applied on the next frame). */
async function press(key: string, before: Track): Promise<Track> {
  await ui.keyboard.press(key);
  return until(track, (v) => v.start !== before.start || v.end !== before.end, `the view after ${key}`);
}
/** Page coordinates of time `t` in the lane labelled `lane`. */
async function at(lane: string, t: number, depth = 0): Promise<{ x: number; y: number }> {
  const l = (await lanes()).find((x) => x.lane === lane);
  if (!l) throw new Error(`no lane ${lane}`);
  const tr = await track();
  return { x: tr.left + ((t - tr.start) / (tr.end - tr.start)) * tr.w, y: tr.top + Number(l.y) + 8 + depth * 16 };
}

it("issue 12: a recording's tasks each get their lanes, spans are slices, and lanes are not capped at 7", async () => {
  await ui.setInputFiles("#open", rec.path);
  await ui.locator("#pages li.saved.sel").waitFor();
  await until(lanes, (l) => l.length > 0, "timeline lanes");
  const got = await lanes();
  // Ten kinds of events: eight instants on main, two spans on their own tasks' lanes.
  expect(got.filter((l) => l.task === "main" && l.kind === "events").map((l) => l.lane)).toEqual(
    ["Boot", "Route", "Render", "Paint", "Click", "Fetch", "Parse", "Idle"].map((n) => `demo/app:trace${n}`),
  );
  const fetches = got.filter((l) => l.task!.startsWith("fetch "));
  expect(fetches.map((l) => [l.task!.replace(/#\d+$/, "#n"), l.lane, l.kind, l.count])).toEqual([
    ["fetch a #n", "conn", "spans", "1"],
    ["fetch b #n", "conn", "spans", "1"],
  ]);
  // Overlapping slices of two tasks do not stack: each task has its own lane.
  expect(fetches.map((l) => l.h)).toEqual(["16", "16"]);
  // The table still has every event, the slices' halves included, on their tasks.
  const rows = await ui.locator(".row:visible").allInnerTexts();
  expect(rows).toHaveLength(13);
  expect(rows.filter((r) => /traceConn(Start|End)[\s\S]*fetch a #\d+$/.test(r))).toHaveLength(2);
});

it("issue 12: hovering shows an event's or a slice's arguments; a click shows them in the details panel and the table", async () => {
  const p = await at("demo/app:traceRender", rec.at("demo/app:traceRender"));
  await ui.mouse.move(p.x, p.y);
  await until(() => ui.locator("#tip").innerText(), (t) => t.startsWith("demo/app:traceRender") && t.includes("n=2"), "event tooltip");
  await ui.mouse.click(p.x, p.y);
  await ui.locator("#details[data-kind=event]").waitFor();
  expect(await ui.locator("#details").innerText()).toMatch(/demo\/app:traceRender[\s\S]*task\s+main[\s\S]*n\s+2/);
  expect(await ui.locator(".row.sel").innerText()).toContain("traceRender");

  const conn = (await lanes()).find((l) => l.lane === "conn" && l.task!.startsWith("fetch b"))!;
  const mid = (rec.at("demo/net:traceConnStart", 2) + rec.at("demo/net:traceConnEnd", 2)) / 2;
  const tr = await track();
  const q = { x: tr.left + ((mid - tr.start) / (tr.end - tr.start)) * tr.w, y: tr.top + Number(conn.y) + 8 };
  await ui.mouse.move(q.x, q.y);
  await until(() => ui.locator("#tip").innerText(), (t) => t.startsWith("conn ") && t.includes('host="b.example"') && t.includes("bytes=2000"), "slice tooltip");
  await ui.mouse.click(q.x, q.y);
  await ui.locator("#details[data-kind=slice]").waitFor();
  const details = await ui.locator("#details").innerText();
  expect(details).toMatch(/conn[\s\S]*slice · \d+(\.\d+)? ms/);
  expect(details).toContain('"b.example"');
  expect(details).toContain("2000");
  await screenshot(ui, "docs/live-ui-timeline.png");
  // Over the label column, a lane's whole name and count.
  const tr2 = await track();
  await ui.mouse.move(tr2.left - 40, tr2.top + Number(conn.y) + 8);
  await until(() => ui.locator("#tip").innerText(), (t) => /^fetch b #\d+ · conn: 1 slice$/.test(t), "the lane's name");
});

it("issue 12: the wheel zooms around the cursor, drag and arrows pan, +/- zoom, 0 fits", async () => {
  const fitted = await track();
  const t = rec.at("demo/net:traceConnStart", 1);
  const p = await at("demo/app:traceBoot", t);
  await ui.mouse.move(p.x, p.y);
  await ui.mouse.wheel(0, -400);
  const zoomed = await until(track, (v) => v.end - v.start < (fitted.end - fitted.start) / 2, "zoomed in");
  // The time under the cursor stays under it.
  const under = zoomed.start + ((p.x - zoomed.left) / zoomed.w) * (zoomed.end - zoomed.start);
  expect(Math.abs(under - t)).toBeLessThan((zoomed.end - zoomed.start) / 100);

  // Drag 100 px to the right: the view moves 100 px worth of time earlier.
  await ui.mouse.move(p.x, p.y);
  await ui.mouse.down();
  await ui.mouse.move(p.x + 50, p.y);
  await ui.mouse.move(p.x + 100, p.y);
  await ui.mouse.up();
  // Each pointer move is drawn on its own frame: wait for the last one (or time out showing where it stopped).
  const perPx = (zoomed.end - zoomed.start) / zoomed.w;
  const dragged = await until(track, (v) => Math.abs(v.start - (zoomed.start - 100 * perPx)) < 1e-3, "the view 100 px earlier");
  expect(dragged.end - dragged.start).toBeCloseTo(zoomed.end - zoomed.start, 6);

  const right = await press("ArrowRight", dragged);
  expect(right.start).toBeGreaterThan(dragged.start);
  const out = await press("-", right);
  expect(out.end - out.start).toBeGreaterThan(right.end - right.start);
  const in1 = await press("+", out);
  const in2 = await press("+", in1);
  expect(in2.end - in2.start).toBeLessThan(right.end - right.start);
  const back = await press("0", in2);
  expect([back.start, back.end]).toEqual([fitted.start, fitted.end]);
});

it("issue 12: a span defined in the UI pairs the live app's requests and responses by id", async () => {
  // The tracepoints this file defines live in the dev server's process, so its SSR target is listed too.
  await ui.locator('#pages li:not(.saved):not([data-page="ssr"])').click();
  await ui.fill("#pattern", "src/jobs:* src/net:*");
  await ui.click("#attach-button");
  await ui.locator("#patterns .chip", { hasText: "src/net:*" }).waitFor();
  await recording(app, ["src/jobs:*", "src/net:*"]);
  await app.click("#run");
  await until(() => ui.locator(".row:visible").count(), (n) => n === 16, "16 events");
  await ui.selectOption("#span-begin", "src/net:traceRequest");
  await ui.selectOption("#span-end", "src/net:traceResponse");
  await ui.fill("#span-key", "id");
  await ui.click("#span-add");
  const lane = await until(
    async () => (await lanes()).find((l) => l.kind === "spans"),
    (l) => l !== undefined,
    "a span lane",
  );
  expect(lane).toMatchObject({ task: "main", lane: "traceRequest → traceResponse (by id)", count: "4" });
  // Paired halves leave the event lanes; the jobs stay.
  expect((await lanes()).map((l) => l.lane)).toEqual(["traceRequest → traceResponse (by id)", "src/jobs:traceJobStart", "src/jobs:traceJobDone"]);
  // Download trace writes them as slices, for Perfetto UI and DevTools too.
  const [dl] = await Promise.all([ui.waitForEvent("download"), ui.click("#trace")]);
  const written = JSON.parse(readFileSync((await dl.path())!, "utf8")).traceEvents.filter((e: { ph: string }) => e.ph === "X");
  expect(written.map((e: { name: string; args: { begin: { args: { id: number } } } }) => [e.name, e.args.begin.args.id]).sort()).toEqual([1, 2, 3, 4].map((id) => ["traceRequest → traceResponse (by id)", id]));
  await ui.waitForTimeout(300);
  await screenshot(ui, "docs/live-ui-spans.png");
});

it("issue 12: in a browser, where every event is on main, lanes can be grouped by an argument (one group per worker)", async () => {
  await ui.fill("#group-by", "worker");
  await ui.click("#group-apply");
  const groups = await until(
    async () => [...new Set((await lanes()).map((l) => l.task))],
    (g) => g.length === 3,
    "a group per worker",
  );
  // Workers in the order they first fired; the requests, which carry no worker, last.
  expect(groups).toEqual(["worker=1", "worker=2", "(no worker)"]);
  expect((await lanes()).filter((l) => l.task === "worker=1").map((l) => l.lane)).toEqual(["src/jobs:traceJobStart", "src/jobs:traceJobDone"]);
  await ui.fill("#group-by", "bad name!");
  await ui.click("#group-apply");
  await ui.locator("#group-error", { hasText: "group by an argument name" }).waitFor();
  await ui.fill("#group-by", "");
  await ui.click("#group-apply");
  await until(async () => [...new Set((await lanes()).map((l) => l.task))], (g) => g.join() === "main", "back to tasks");
  expect(await ui.locator("#group-error").innerText()).toBe("");
});

it("issue 12: from 900 px wide every control is on screen, the toolbar on one line", async () => {
  await ui.setViewportSize({ width: 900, height: 700 });
  const boxes = await ui.locator(".toolbar > *, #open-label, #attach-button, #span-add").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  for (const b of boxes) expect(b.right).toBeLessThanOrEqual(900);
  const bar = await ui.locator(".toolbar").boundingBox();
  expect(bar!.height).toBeLessThan(50);
  expect(await ui.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
  await ui.waitForTimeout(300);
  await screenshot(ui, "docs/live-ui-900.png");
  await ui.setViewportSize({ width: 1360, height: 820 });
});

it("issue 12: follows prefers-color-scheme: dark, the timeline too", async () => {
  await ui.emulateMedia({ colorScheme: "dark" });
  const luminance = (rgb: string) => {
    const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
    return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
  };
  expect(luminance(await ui.evaluate(() => getComputedStyle(document.documentElement).backgroundColor))).toBeLessThan(0.2);
  // The canvas redraws with the dark theme: a pixel of the track's background.
  const px = await until(
    () =>
      ui.locator("#timeline").evaluate((c) => {
        const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(Math.floor((c as HTMLCanvasElement).width - 4), 30, 1, 1).data;
        return `rgb(${d[0]}, ${d[1]}, ${d[2]})`;
      }),
    (v) => luminance(v) < 0.2,
    "a dark timeline",
  );
  expect(luminance(px)).toBeLessThan(0.2);
  await ui.waitForTimeout(300);
  await screenshot(ui, "docs/live-ui-dark.png");
  await ui.emulateMedia({ colorScheme: "light" });
});

it("issue 12: in a browser, task() names the task of what it runs before its first await; later events are on main again", async () => {
  await ui.locator('#pages li:not(.saved):not([data-page="ssr"])').click();
  await ui.fill("#pattern", "src/chat:*");
  await ui.click("#attach-button");
  await ui.locator('#patterns .chip[data-pattern="src/chat:*"]').waitFor();
  await recording(app, ["src/chat:*"]);
  await app.click("#task");
  await ui.fill("#filter", "traceMessage");
  const got = await until(() => ui.locator(".row:visible").allInnerTexts(), (r) => r.length === 2, "the two greetings");
  const [before, after] = got.map((r) => r.split("\n").slice(3).join(" "));
  expect(before).toMatch(/^from="task" text="before await" greeting #\d+$/);
  expect(after).toBe('from="task" text="after await" main');
  await until(async () => [...new Set((await lanes()).map((l) => l.task))].join(), (g) => /^main,greeting #\d+$/.test(g), "a lane group of the task's own");
  await ui.fill("#filter", "");
});
