import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.ts";

const page = fileURLToPath(new URL("./fixtures/devtools-page.ts", import.meta.url));

interface Entry {
  name: string;
  startTime: number;
  duration: number;
  detail: { devtools: Record<string, unknown> } | null;
}

describe("DevTools mirroring in Chromium", () => {
  let browser: Browser;
  let result: {
    events: { time: number; name: string; task: string }[];
    failures: number;
    trace: { traceEvents: { ph: string; name: string }[] };
    pprofMagic: number[];
    profileFunctions: string[];
  };
  let marks: Entry[];
  let measures: Entry[];

  beforeAll(async () => {
    // platform "browser": a Node import anywhere in the runtime would fail this build
    const bundle = await build({ entryPoints: [page], bundle: true, write: false, format: "esm", platform: "browser", target: "es2022", logLevel: "silent" });
    browser = await launchChromium();
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.setContent("<!doctype html><title>recorder</title>");
    await tab.addScriptTag({ content: bundle.outputFiles[0]!.text, type: "module" });
    // An inline module script runs in a later task than the one that adds it: wait for it to have run.
    await tab.waitForFunction(() => "done" in globalThis);
    result = await tab.evaluate(() => (globalThis as unknown as { done: Promise<typeof result> }).done);
    const entries = (type: string) =>
      performance.getEntriesByType(type).map((e) => ({ name: e.name, startTime: e.startTime, duration: e.duration, detail: (e as PerformanceMark).detail }));
    marks = await tab.evaluate(entries, "mark");
    measures = await tab.evaluate(entries, "measure");
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("records in the browser, all on the main track", () => {
    expect(result.failures).toBe(0);
    expect(result.events.map((e) => `${e.name}@${e.task}`)).toEqual([
      "traceConnStart@main",
      "traceConnStart@main",
      "traceConnEnd@main",
      "traceConnEnd@main",
    ]);
    expect(result.trace.traceEvents.filter((e) => e.ph === "X").map((e) => e.name)).toEqual(["request", "request"]);
  });

  it("mirrors each event as a DevTools marker", () => {
    const ours = marks.filter((m) => m.detail?.devtools);
    expect(ours.map((m) => m.name)).toEqual(["page/net:traceConnStart", "page/net:traceConnStart", "page/net:traceConnEnd", "page/net:traceConnEnd"]);
    expect(ours.map((m) => m.startTime)).toEqual(result.events.map((e) => e.time));
    expect(ours[0]!.detail!.devtools).toEqual({
      dataType: "marker",
      color: "primary",
      tooltipText: "page/net:traceConnStart (main)",
      properties: [
        ["id", "1"],
        ["url", "/a"],
      ],
    });
  });

  it("mirrors each span as a track entry on a track of our own", () => {
    const ours = measures.filter((m) => m.detail?.devtools);
    expect(ours).toHaveLength(2);
    for (const m of ours) {
      expect(m.name).toBe("request");
      expect(m.duration).toBeGreaterThanOrEqual(15);
      expect(m.detail!.devtools).toMatchObject({ dataType: "track-entry", track: "main", trackGroup: "my app", color: "primary" });
    }
    const [begin1, , end1] = result.events;
    expect(ours[0]!.startTime).toBe(begin1!.time);
    expect(ours[0]!.duration).toBeCloseTo(end1!.time - begin1!.time, 6);
    expect(ours[0]!.detail!.devtools.properties).toEqual([
      ["id", "1"],
      ["url", "/a"],
      ["id", "1"],
      ["status", "200"],
    ]);
  });

  it("builds a gzipped profile with CompressionStream and names the caller", () => {
    expect(result.pprofMagic).toEqual([0x1f, 0x8b]);
    expect(result.profileFunctions).toContain("fetchSomething");
    expect(result.profileFunctions).not.toContain("fire");
  });
});
