// Issue 14, item 2: code the SSR module runner evaluates in the dev server's process
// is a live-probing target of its own, next to the pages: in the UI (Chromium) and
// for `tstrace watch <url> --page ssr`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type { RunnableDevEnvironment } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launch, startDev, until, type Dev } from "./helpers.ts";

let dev: Dev;
let browser: Browser;
let ui: Page;
let render: (url: string) => string;

beforeAll(async () => {
  dev = await startDev();
  browser = await launch();
  ui = await browser.newPage();
  render = ((await (dev.server.environments.ssr as RunnableDevEnvironment).runner.import("/src/server/render.ts")) as { render: typeof render }).render;
});
afterAll(async () => {
  await browser?.close();
  await dev?.server.close();
});

const rowTexts = () => ui.locator(".row:visible").allInnerTexts();

it("shows the SSR target next to the page, with its tracepoints, attaches and shows its events", async () => {
  const app = await browser.newPage();
  await app.goto(dev.url);
  await ui.goto(`${dev.url}__tracing/`);
  await ui.locator("#pages li[data-page='ssr']").waitFor();
  // The page and the SSR target (the page may register after the UI's first list: it then comes as a change).
  await until(() => ui.locator("#pages li[data-page]").count(), (n) => n === 2, "the page and the SSR target");
  await ui.click("#pages li[data-page='ssr']");
  expect(await ui.locator("#pages li[data-page='ssr'] .meta").innerText()).toContain("SSR (module runner in the dev server)");
  await ui.check('input[data-pattern="src/server:*"]');
  await until(() => ui.locator(".tp", { hasText: "traceRender" }).locator(".count").innerText(), (t) => t === "1", "the probe on the SSR tracepoint");
  render("/about");
  render("/contact");
  await until(rowTexts, (rows) => rows.some((r) => r.includes('url="/contact"')), "SSR events in the table");
  const rows = await rowTexts();
  expect(rows.find((r) => r.includes('url="/about"'))).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+src\/server\s+traceRender\s+url="\/about" bytes=\d+\s+main$/);
  // The browser page's tracepoints are its own: the SSR target does not list them, nor the page the SSR ones.
  expect(await ui.locator('input[data-pattern="src/jobs:*"]').count()).toBe(0);
  await ui.click("#pages li[data-page]:not([data-page='ssr'])");
  await ui.locator('input[data-pattern="src/jobs:*"]').waitFor();
  expect(await ui.locator('input[data-pattern="src/server:*"]').count()).toBe(0);
  await app.close();
});

it("tstrace watch --page ssr prints the SSR module's events", async () => {
  const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
  const w = spawn(process.execPath, [cli, "watch", dev.url, "src/server:*", "--page", "ssr", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  w.stdout.on("data", (c) => (out += c));
  w.stderr.on("data", (c) => (err += c));
  await until(() => err, (e) => e.includes("tstrace: watching"), "the watch to attach");
  await until(() => dev.server.environments && render("/watched") && out, (o) => o.includes("/watched"), "the event in the terminal");
  w.kill("SIGINT");
  await new Promise((r) => w.once("exit", r));
  const first = JSON.parse(out.split("\n").find((l) => l.includes("/watched"))!);
  expect(first).toMatchObject({ page: "ssr", package: "src/server", event: "traceRender", args: { url: "/watched" } });
});
