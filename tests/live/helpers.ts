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
