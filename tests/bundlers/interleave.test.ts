// `await traceX()` adds no tick unless a probe returns a thenable: two concurrent
// tasks interleave exactly as without the trace line. Fixture: tests/fixtures/interleave.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "interleave")).file));

describe("two async tasks with no probe interleave as without the trace line", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    // The producer never yields: all its steps come before the ticker's second.
    expect(out.plain).toEqual(["p0", "p1", "p2", "p end", "t0", "t1", "t2", "t3", "t4", "t5"]);
    expect(out.noProbe).toEqual(out.plain);
  });
});

describe("a synchronous probe adds no tick either", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.syncProbe.filter((e: string) => !e.startsWith("probe"))).toEqual(out.plain);
    expect(out.syncProbe.slice(0, 7)).toEqual(["p0", "probe p0", "p1", "probe p1", "p2", "probe p2", "p end"]);
  });
});

describe("an async probe holds the producer until its promise settles", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const log: string[] = (await output(bundler)).asyncProbe;
    for (let i = 0; i < 3; i++) {
      const probe = log.indexOf(`probe p${i}`);
      const release = log.indexOf(`release p${i}`);
      const next = log.indexOf(i < 2 ? `p${i + 1}` : "p end");
      expect(probe).toBe(log.indexOf(`p${i}`) + 1);
      // The other task ran on while the producer was held...
      expect(log.slice(probe, release)).toEqual([`probe p${i}`, `t${i}.0`, `t${i}.1`, `t${i}.2`]);
      // ...and the producer went on only after the release.
      expect(next).toBeGreaterThan(release);
    }
  });
});
