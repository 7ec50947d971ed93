// Screenshots for docs/: one recording, made by the recorder in Node (tasks and
// spans), shown by the live UI's timeline and by Chrome DevTools' Performance panel
// (the DevTools front end the local Chromium serves on its debugging port).
// Perfetto UI is not reachable offline, so it is not in the comparison.
//
//   npm run build && node scripts/compare-timeline.mjs
import { createServer as createHttp } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createServer } from "vite";
import { Recorder, task } from "../dist/runtime/recorder.js";
import { Tracepoint, defineTracepoint } from "../dist/runtime/tracing.js";
import tracing from "../dist/src/vite.js";

/** A tracepoint made by hand, as the plugin would generate one. */
function tracepoint(pkg, name, params) {
  class Hand extends Tracepoint {
    fire(...args) {
      for (const p of this.p) if (p.on) p.fn(...args);
    }
    wrap(fn) {
      return (...args) => fn(this, args);
    }
  }
  const tp = defineTracepoint(new Hand(pkg, name, params.map((n) => ({ name: n, type: "unknown" })), "h", `${pkg}/x.ts:1:1`));
  return (...args) => (tp.p !== null ? tp.fire(...args) : undefined);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const reqStart = tracepoint("demo/net", "traceRequest", ["id", "url"]);
const reqEnd = tracepoint("demo/net", "traceResponse", ["id", "status"]);
const parse = tracepoint("demo/app", "traceParse", ["id", "bytes"]);
const route = tracepoint("demo/app", "traceRoute", ["path"]);
const render = tracepoint("demo/app", "traceRender", ["view"]);

const rec = new Recorder({ patterns: ["demo/*:*"], spans: [{ begin: "demo/net:traceRequest", end: "demo/net:traceResponse", name: "request", key: (a) => a[0] }] }).start();
route("/inbox");
let id = 0;
await Promise.all(
  ["mail", "contacts", "calendar"].map((what, w) =>
    task(`fetch ${what}`, async () => {
      for (let i = 0; i < 4; i++) {
        const n = ++id;
        reqStart(n, `/api/${what}/${i}`);
        await sleep(3 + ((n * 7) % 11));
        reqEnd(n, n % 5 === 0 ? 500 : 200);
        parse(n, 1000 * (w + 1) + i);
        await sleep(1);
      }
    }),
  ),
);
render("inbox");
rec.stop();
const dir = mkdtempSync(join(tmpdir(), "tracing-compare-"));
const file = join(dir, "compare.json");
await rec.writeFile(file);
console.log(`recording: ${file} (${rec.events().length} events)`);

// The live UI, on the test fixture's dev server.
const server = await createServer({ root: new URL("../tests/live/fixtures/app", import.meta.url).pathname, configFile: false, logLevel: "silent", server: { port: 0, host: "127.0.0.1" }, plugins: [tracing({ dts: false })] });
await server.listen();
const base = server.resolvedUrls.local[0];
// DevTools fetches the trace from a URL: serve the file with CORS.
const http = createHttp((req, res) => res.writeHead(200, { "Access-Control-Allow-Origin": "*", "Content-Type": "application/json" }).end(readFileSync(file)));
await new Promise((r) => http.listen(0, "127.0.0.1", r));
const traceUrl = `http://127.0.0.1:${http.address().port}/compare.json`;
const port = 9300 + Math.floor(Math.random() * 500);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", `--remote-debugging-port=${port}`] });
try {
  for (const scheme of ["light", "dark"]) {
    const ui = await browser.newPage({ viewport: { width: 1360, height: 760 }, colorScheme: scheme });
    await ui.goto(`${base}__tracing/`);
    await ui.setInputFiles("#open", file);
    await ui.locator("#pages li.saved.sel").waitFor();
    await ui.waitForTimeout(500);
    // Hover and select the first request of the first task, as in DevTools below.
    const first = JSON.parse(readFileSync(file, "utf8")).traceEvents.filter((e) => e.ph === "X").sort((a, b) => a.ts - b.ts)[0];
    const p = await ui.evaluate((t) => {
      const c = document.getElementById("timeline");
      const lane = document.querySelector('#timeline-lanes li[data-kind="spans"]');
      const r = c.getBoundingClientRect();
      const d = c.dataset;
      return { x: r.left + Number(d.trackX) + ((t - Number(d.viewStart)) / (Number(d.viewEnd) - Number(d.viewStart))) * Number(d.trackW), y: r.top + Number(lane.dataset.y) + 8 };
    }, (first.ts + first.dur / 4) / 1000);
    await ui.mouse.click(p.x, p.y);
    await ui.mouse.move(p.x, p.y + 2);
    await ui.waitForTimeout(400);
    await ui.screenshot({ path: `docs/compare-ui${scheme === "dark" ? "-dark" : ""}.png` });
    await ui.close();
  }
  const dt = await browser.newPage({ viewport: { width: 1360, height: 760 } });
  // The front end needs a target to attach to: a blank tab.
  const blank = await browser.newPage();
  await blank.goto("about:blank");
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find((t) => t.type === "page" && t.url === "about:blank");
  await dt.goto(`http://127.0.0.1:${port}/devtools/devtools_app.html?ws=127.0.0.1:${port}/devtools/page/${target.id}&panel=timeline`);
  await dt.waitForTimeout(3000);
  // The panel's "Load profile…" (Ctrl+O), once the front end has started.
  let chooser;
  for (let i = 0; i < 10 && !chooser; i++) {
    [chooser] = await Promise.all([dt.waitForEvent("filechooser", { timeout: 2000 }).catch(() => undefined), dt.keyboard.press("Control+O")]);
  }
  await chooser.setFiles(file);
  await dt.waitForTimeout(4000);
  // Close the shortcuts pop-up, open the process's group of tracks (drawn on a canvas: by position).
  const shortcuts = dt.getByText("Keyboard shortcuts for flame chart");
  if (await shortcuts.isVisible()) await dt.mouse.click(1331, 77);
  await dt.mouse.move(250, 129);
  await dt.waitForTimeout(300);
  await dt.mouse.click(250, 129);
  await dt.waitForTimeout(1000);
  // Then each task's track, bottom first so the rows above stay put.
  for (const y of [189, 168, 147]) {
    await dt.mouse.click(260, y);
    await dt.waitForTimeout(400);
  }
  // The first request of the first task starts with the recording: hover and select it.
  await dt.mouse.move(262, 164);
  await dt.waitForTimeout(300);
  await dt.mouse.click(262, 164);
  await dt.waitForTimeout(300);
  await dt.mouse.move(262, 166);
  await dt.waitForTimeout(600);
  await dt.screenshot({ path: "docs/compare-devtools.png" });
  console.log("wrote docs/compare-ui.png, docs/compare-ui-dark.png, docs/compare-devtools.png");
} finally {
  await browser.close();
  await server.close();
  http.close();
}
