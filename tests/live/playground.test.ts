// The playground as `npm run playground` serves it (its own vite.config.ts, the built
// plugin): an in-page probe attached and detached, and live probing through the UI
// (issue 2, item 6; issue 6, item 6).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launch, recording, screenshot, until } from "./helpers.ts";

const root = fileURLToPath(new URL("../../playground", import.meta.url));
let server: ViteDevServer;
let url: string;
let browser: Browser;
let app: Page;
let ui: Page;

beforeAll(async () => {
  server = await createServer({ root, configFile: `${root}/vite.config.ts`, logLevel: "silent", server: { port: 0, host: "127.0.0.1" } });
  await server.listen();
  url = server.resolvedUrls!.local[0]!;
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, acceptDownloads: true });
  app = await context.newPage();
  ui = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const logLines = () => app.locator("#log li").allInnerTexts();

it("attaches and detaches a probe from the page", async () => {
  await app.goto(url);
  await app.click("#hello");
  await app.click("#probe");
  await app.fill("#who", "Ada");
  await app.click("#hello");
  await app.click("#probe");
  await app.click("#hello");
  const lines = (await logLines()).reverse();
  expect(lines.map((l) => l.replace(/ at [\d.]+ ms$/, ""))).toEqual([
    "Hello, JP",
    "probe attached to hello:traceHello",
    'probe: traceHello("Ada")',
    "Hello, Ada",
    "probe detached: sayHello runs untraced",
    "Hello, Ada",
  ]);
  expect(await app.locator("#tracepoints").innerText()).toContain("queue:traceJobDone(worker: number, job: number, ok: boolean)");
});

it("shows the playground's events live in the tracing UI", async () => {
  await ui.goto(`${url}__tracing/`);
  await ui.locator('input[data-pattern="queue:*"]').waitFor();
  await ui.check('input[data-pattern="queue:*"]');
  await ui.check('input[data-pattern="net:*"]');
  await ui.locator("#patterns .chip", { hasText: "net:*" }).waitFor();
  await recording(app, ["queue:*", "net:*"]);
  await app.click("#jobs");
  // 10 jobs: queued, started and done once each, and a request and a response each.
  await until(() => ui.locator("#stats").innerText(), (t) => t.startsWith("50 shown"), "fifty events", 20_000);
  await ui.fill("#filter", "traceRequest");
  await until(() => ui.locator("#stats").innerText(), (t) => t.startsWith("10 shown"), "ten requests");
  const first = await ui.locator(".row:visible").first().innerText();
  expect(first).toMatch(/net\s+traceRequest\s+id=\d+ url="\/api\/(upload|resize)\/\d+"/);
  await ui.fill("#filter", "");
  await ui.waitForTimeout(400);
  await screenshot(ui, "docs/playground-ui.png");
  await screenshot(app, "docs/playground.png");

  const [dl] = await Promise.all([ui.waitForEvent("download"), ui.click("#trace")]);
  const trace = JSON.parse(readFileSync((await dl.path())!, "utf8"));
  const instants = trace.traceEvents.filter((e: { ph: string }) => e.ph === "i");
  for (const ev of ["traceJobQueued", "traceJobStart", "traceJobDone", "traceRequest", "traceResponse"]) {
    expect(instants.filter((e: { name: string }) => e.name === ev), ev).toHaveLength(10);
  }
});
