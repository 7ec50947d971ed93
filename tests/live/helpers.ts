// Shared by the live-probing tests: a dev server on the fixture app, headless Chromium.
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { createLogger, createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll } from "vitest";
import tracing from "../../src/vite.ts";
import { launchChromium } from "../helpers/chromium.ts";
import type { Options } from "../../src/options.ts";

export const fixtureRoot = fileURLToPath(new URL("./fixtures/app", import.meta.url));

export interface Dev {
  server: ViteDevServer;
  url: string;
  /** What the server logged: info and warnings. */
  log: string[];
}

export async function startDev(options: Options = {}): Promise<Dev> {
  const log: string[] = [];
  const logger = createLogger("info", { allowClearScreen: false });
  logger.info = (msg) => void log.push(msg);
  logger.warn = (msg) => void log.push(msg);
  logger.warnOnce = (msg) => void log.push(msg);
  const server = await createServer({
    root: fixtureRoot,
    configFile: false,
    customLogger: logger,
    server: { port: 0, host: "127.0.0.1" },
    plugins: [tracing({ dts: false, ...options })],
  });
  await server.listen();
  server.printUrls();
  const url = server.resolvedUrls!.local[0]!;
  return { server, url, log };
}

/** A dev server on the fixture app and a Chromium for a test file: started before its tests, closed after. */
export function useDevAndBrowser(ready: (dev: Dev, browser: Browser) => void, options: Options = {}): void {
  let dev: Dev | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    dev = await startDev(options);
    browser = await launch();
    ready(dev, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await dev?.server.close();
  });
}

/** Screenshots for docs/ are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run changes no tracked file. */
export async function screenshot(page: Page, path: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path });
}

export function launch(): Promise<Browser> {
  return launchChromium();
}

export async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until the app page itself records every one of `patterns`: its live client has
 * applied the configure the server sent it (read from the runtime's registry in the page).
 * The server's "attached" answer, the UI's chip and its probe counts all can come before
 * that (or be left from before a reload), so an app action right after them may go unrecorded.
 * Call it once a reload has happened, not while one is under way.
 */
export async function recording(app: Page, patterns: readonly string[]): Promise<void> {
  await until(
    () =>
      app
        .evaluate(() => {
          const state = (globalThis as Record<symbol, { patterns: Set<{ pattern: string | string[]; detached: boolean }> } | undefined>)[Symbol.for("unplugin-tracing.state.v1")];
          return state === undefined ? [] : [...state.patterns].filter((pp) => !pp.detached).flatMap((pp) => [pp.pattern].flat());
        })
        .catch((err: Error) => [`(${err.message.split("\n")[0]})`]),
    (live) => patterns.every((p) => live.includes(p)),
    `the app to record ${patterns.join(" ")}`,
  );
}

/** The app's live-probing page id (its client keeps it in sessionStorage), to pick its entry in the UI. */
export function pageIdOf(app: Page): Promise<string | null> {
  return until(() => app.evaluate(() => sessionStorage.getItem("unplugin-tracing:page")), (id) => id !== null, "the app's page id");
}

/** A raw client on the dev server's HMR socket, as `tstrace watch` connects. */
export async function rawClient(dev: Dev) {
  const { connect } = await import("../../src/dev/ws-client.ts");
  const ws = await connect(dev.url.replace(/^http/, "ws"), { protocol: "vite-hmr" });
  const got: Array<{ event: string; data: any }> = [];
  ws.onMessage = (text) => {
    const m = JSON.parse(text);
    if (m.type === "custom") got.push({ event: m.event, data: m.data });
  };
  return {
    ws,
    got,
    send: (event: string, data: unknown) => ws.send(JSON.stringify({ type: "custom", event, data })),
    raw: (text: string) => ws.send(text),
    last: (event: string) => [...got].reverse().find((m) => m.event === event)?.data,
  };
}

/** The pages as a raw client knows them now: the last list it got, then each change in order. */
export function pagesSeen(c: { got: Array<{ event: string; data: any }> }): Map<string, any> {
  const pages = new Map<string, any>();
  for (const m of c.got) {
    if (m.event === "unplugin-tracing:pages") {
      pages.clear();
      for (const p of m.data.pages) pages.set(p.id, p);
    } else if (m.event === "unplugin-tracing:page") pages.set(m.data.page.id, m.data.page);
    else if (m.event === "unplugin-tracing:page-gone") pages.delete(m.data.page);
  }
  return pages;
}
