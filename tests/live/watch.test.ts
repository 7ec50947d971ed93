// Issue 6: `tstrace watch` against a running dev server, with a page driven in Chromium.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { expect, it } from "vitest";
import { rawClient, recording, until, type Dev, useDevAndBrowser } from "./helpers.ts";

const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
let dev: Dev;
let browser: Browser;
useDevAndBrowser((d, b) => ((dev = d), (browser = b)));

it("issue 6: tstrace watch --json prints the events of the patterns, writes --out, detaches on Ctrl-C", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "tstrace-watch-")), "trace.json");
  const child = spawn(process.execPath, [cli, "watch", dev.url, "src/jobs:traceJobDone", "src/chat", "--json", "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await until(() => stderr, (s) => s.includes("watching"), "the watcher to attach");

  const page = await browser.newPage();
  await page.goto(dev.url);
  // The server gives a new page the watcher's patterns on its hello: the page applies them after its load.
  await recording(page, ["src/jobs:traceJobDone", "src/chat"]);
  await page.click("#run");
  await page.click("#chat");
  const lines = await until(
    () => stdout.split("\n").filter(Boolean),
    (l) => l.length === 5,
    "five JSON lines",
  );
  const events = lines.map((l) => JSON.parse(l));
  expect(events.map((e) => `${e.package}:${e.event}`).sort()).toEqual([...Array(4).fill("src/jobs:traceJobDone"), "src/chat:traceMessage"].sort());
  expect(events.find((e) => e.event === "traceMessage").args).toEqual({ from: "JP", text: "hello" });
  expect(events.find((e) => e.args.job === "missing-docs").args.ok).toBe(false);
  expect(Math.abs(events[0].time - Date.now())).toBeLessThan(60_000);

  child.kill("SIGINT");
  expect(await exited).toBe(0);
  expect(stderr).toContain(`wrote 5 events to ${out}`);
  const trace = JSON.parse(readFileSync(out, "utf8"));
  expect(trace.traceEvents.filter((e: { ph: string }) => e.ph === "i")).toHaveLength(5);
  // Detached: the page is left with no patterns.
  const viewer = await rawClient(dev);
  viewer.send("unplugin-tracing:watch", { history: false });
  await until(() => viewer.last("unplugin-tracing:pages"), (m) => m?.pages.length === 1 && m.pages[0].patterns.length === 0, "no patterns left");
  viewer.ws.close();
  await page.close();
});

it("issue 6: tstrace watch --page waits for a matching page and prints plain lines", async () => {
  const child = spawn(process.execPath, [cli, "watch", `${dev.url}__tracing/`, "src/chat:*", "--page", "?who=watch"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await until(() => stderr, (s) => s.includes("waiting for a page matching ?who=watch"), "the watcher to wait");
  const other = await browser.newPage();
  await other.goto(dev.url);
  const page = await browser.newPage();
  await page.goto(`${dev.url}?who=watch`);
  await until(() => stderr, (s) => s.includes("watching src/chat:* on"), "the watcher to attach");
  // It says so as it sends the attach: wait for the page to record.
  await recording(page, ["src/chat:*"]);
  await other.click("#chat");
  await page.click("#chat");
  await until(() => stdout, (s) => s.includes("\n"), "a line");
  await new Promise((r) => setTimeout(r, 300));
  expect(stdout.trim().split("\n")).toHaveLength(1);
  expect(stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} src\/chat:traceMessage from="JP" text="hello"\n$/);
  child.kill("SIGINT");
  expect(await exited).toBe(0);
});

it("issue 12: tstrace watch notes patterns that match nothing yet, and writes --out on SIGTERM", async () => {
  const page = await browser.newPage();
  await page.goto(dev.url);
  const out = join(mkdtempSync(join(tmpdir(), "tstrace-watch-")), "trace.json");
  const child = spawn(process.execPath, [cli, "watch", dev.url, "nonexistent:*", "src/jobs:traceJobDone", "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await until(() => stderr, (s) => s.includes("note:"), "the note");
  expect(stderr).toContain("tstrace: note: nothing matches nonexistent:* yet (on any page); watching for tracepoints that load later\n");
  await recording(page, ["nonexistent:*", "src/jobs:traceJobDone"]);
  await page.click("#run");
  await until(() => stdout.split("\n").filter(Boolean), (l) => l.length === 4, "four lines");
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(stderr).toContain(`wrote 4 events to ${out}`);
  expect(JSON.parse(readFileSync(out, "utf8")).traceEvents.filter((e: { ph: string }) => e.ph === "i")).toHaveLength(4);
  await page.close();
});

it("issue 12: tstrace watch says in one line what is wrong with the URL or the arguments", async () => {
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, "watch", ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
  // A port nothing listens on: the dev server's own port once it is closed is not at hand, so port 1.
  const dead = await run("http://127.0.0.1:1/", "src:*");
  expect(dead).toEqual({ code: 1, stderr: "tstrace: watch: cannot connect to http://127.0.0.1:1/: connect ECONNREFUSED 127.0.0.1:1\n" });
  const notHttp = await run("ftp://example/", "src:*");
  expect(notHttp).toEqual({ code: 2, stderr: "tstrace: watch: ftp://example/: want the dev server's http:// or https:// URL (tstrace help shows the usage)\n" });
  const noPattern = await run(dev.url);
  expect(noPattern).toEqual({ code: 2, stderr: "tstrace: watch: want a dev server URL and at least one pattern (tstrace help shows the usage)\n" });
  const badOption = await run(dev.url, "src:*", "--colour");
  expect(badOption).toEqual({ code: 2, stderr: "tstrace: watch: unknown option --colour (tstrace help shows the usage)\n" });
  // A web server that is not a Vite dev server.
  const plain = createServer((_req, res) => res.end("hello"));
  await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`;
  const notVite = await run(url, "src:*");
  plain.close();
  expect(notVite.code).toBe(1);
  expect(notVite.stderr).toBe(`tstrace: watch: cannot connect to ${url}: ${url.replace("http", "ws")}: the server answered 200 instead of switching to a websocket (is it a Vite dev server with HMR on?)\n`);
});
