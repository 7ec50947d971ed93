// Issue 11: the Vue + Svelte app in Chromium. The Vite build's output runs and its
// components' trace calls reach probes; in the dev server the live UI lists the
// components' tracepoints, probes them live, and keeps the probes through HMR edits.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build, createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launch, recording, until } from "../live/helpers.ts";
import { appConfig, appRoot } from "./vite-config.ts";

const clientOut = join(appRoot, "out/client");
// The dev server runs on a copy, so the test can edit components.
const devRoot = join(appRoot, "out/dev");
const warnings: string[] = [];
let browser: Browser;
let server: ViteDevServer;
let url: string;

beforeAll(async () => {
  const config = await appConfig({ dts: false }, warnings);
  await build({ ...config, build: { outDir: clientOut, emptyOutDir: true, minify: false } });
  rmSync(devRoot, { recursive: true, force: true });
  mkdirSync(devRoot, { recursive: true });
  cpSync(join(appRoot, "index.html"), join(devRoot, "index.html"));
  cpSync(join(appRoot, "src"), join(devRoot, "src"), { recursive: true });
  server = await createServer({ ...(await appConfig({ dts: false }, warnings)), root: devRoot, server: { port: 0, host: "127.0.0.1" } });
  await server.listen();
  url = server.resolvedUrls!.local[0]!;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that records its uncaught errors and console errors. */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  // (A failed request is named by its URL below; the browser asks for a favicon nobody has.)
  page.on("console", (m) => void (m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text())));
  page.on("response", (r) => void (r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(`${r.status()} ${r.url()}`)));
  return { page, errors };
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);

it("the built app: component trace calls reach probes attached from a .ts module and from another component; nothing throws", async () => {
  const { page, errors } = await openPage();
  // The build's files, served as a static host would.
  await page.route("http://app.test/**", (route) => route.fulfill({ path: join(clientOut, new URL(route.request().url()).pathname.replace(/\/$/, "/index.html")) }));
  await page.goto("http://app.test/");
  await page.locator("#vue-click").waitFor();
  expect(await events(page)).toEqual(["vue click 0 setup", "clicks.ts 0", "vue label 0", "svelte click 0", "svelte plain 0"]);
  await page.click("#vue-click");
  await page.click("#svelte-click");
  await until(() => events(page), (e) => e.includes("svelte click 1"), "events of the clicks");
  expect((await events(page)).slice(5).sort()).toEqual(["clicks.ts 1", "svelte click 1", "vue click 1 click", "vue label 1"]);
  // The Vue component in another package sees the Svelte component's event (//trace:import in a .vue file).
  expect(await page.locator("#watched").innerText()).toBe("svelte 1");
  expect(errors).toEqual([]);
  await page.close();
});

it("dev server: the live UI lists the components' tracepoints at their .vue/.svelte lines, probes a component's event live, and keeps the probe through HMR edits", async () => {
  const { page: app, errors } = await openPage();
  const ui = await browser.newPage();
  const rows = () => ui.locator(".row:visible").allInnerTexts();
  await app.goto(url);
  await app.locator("#vue-click").waitFor();
  await app.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
  await ui.goto(`${url}__tracing/`);
  await ui.locator('input[data-pattern="src/vue:traceVueClick"]').waitFor();
  await ui.locator('input[data-pattern="src/svelte:traceSvelteClick"]').waitFor();
  expect(await ui.locator(".tp", { hasText: "traceVueClick" }).getAttribute("title")).toBe("traceVueClick(count: number, label: string)\nsrc/vue/Counter.vue:11:1");
  expect(await ui.locator(".tp", { hasText: "traceSvelteClick(" }).getAttribute("title")).toBe("traceSvelteClick(count: number)\nsrc/svelte/Counter.svelte:10:1");

  await ui.check('input[data-pattern="src/vue:traceVueClick"]');
  await ui.check('input[data-pattern="src/svelte:*"]');
  await until(() => ui.locator(".tp", { hasText: "traceVueClick" }).locator(".count").innerText(), (t) => t === "3", "probes: the UI's, main.ts's and clicks.ts's");
  // That count may be the first check's configure: the page must have applied the second's too.
  await recording(app, ["src/vue:traceVueClick", "src/svelte:*"]);
  await app.click("#vue-click");
  await app.click("#svelte-click");
  await until(rows, (r) => r.some((x) => x.includes("traceVueClick") && x.includes('label="click"')) && r.some((x) => x.includes("traceSvelteClick") && x.includes("count=1")), "live rows");

  // Edit both components: HMR updates them in place, the probes stay attached.
  const edit = (file: string, from: string, to: string) => {
    const path = join(devRoot, file);
    writeFileSync(path, readFileSync(path, "utf8").replace(from, to));
  };
  edit("src/vue/Counter.vue", "vue {{ count }}", "VUE {{ count }}");
  edit("src/svelte/Counter.svelte", "svelte {count}", "SVELTE {count}");
  await until(() => app.locator("#vue-click").innerText(), (t) => t.startsWith("VUE"), "the Vue edit applied");
  await until(() => app.locator("#svelte-click").innerText(), (t) => t.startsWith("SVELTE"), "the Svelte edit applied");
  expect(await app.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1); // not a full reload
  const before = (await rows()).length;
  await app.click("#vue-click");
  await app.click("#svelte-click");
  // The rows after the edit are the last ones (the table is in time order): both clicks' events, in whichever
  // batches they come (a count of 0 is the remounted component's own, not the click's).
  const after = await until(
    async () => (await rows()).slice(before),
    (a) => a.some((x) => x.includes("traceVueClick") && x.includes('label="click"')) && a.some((x) => /traceSvelteClick\s+count=[1-9]/.test(x)),
    "both clicks' rows after the edit",
  );
  expect(errors).toEqual([]);
  // Neither build nor dev server warned: every directive of the app is read.
  expect(warnings).toEqual([]);
});
