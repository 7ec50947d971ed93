// tracepoints() and attach(pattern), including a tracepoint whose module is loaded
// later through a dynamic import. Fixture: tests/fixtures/patterns.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "patterns")).file));

describe("tracepoints() lists what is defined, with signature, location and probe count", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.before).toEqual(["net:traceClose", "net:traceConnect"]);
    expect(out.after).toEqual(["late:traceLate", "net:traceClose", "net:traceConnect"]);
    expect(out.info).toEqual([
      {
        signature: "traceLate(n: number, what?: string)",
        params: [{ name: "n", type: "number" }, { name: "what", type: "string", optional: true }],
        location: "late/late.js:2:1",
        probeCount: 1,
      },
    ]);
  });
});

describe('attach("pkg:*") matches by pattern, also tracepoints loaded later', () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    // Probes run in attach order: "*:traceC*" before "net" (the "late:*" one matches nothing here).
    expect(out.net).toEqual([
      ["traceC", "net:traceConnect", [1, "a"]],
      ["net", "net:traceConnect", [1, "a"]],
      ["traceC", "net:traceClose", [1]],
      ["net", "net:traceClose", [1]],
    ]);
    expect(out.late).toEqual([["late", "late:traceLate", [2, "late 2"]]]);
    expect(out.detached).toEqual([]);
    expect(out.counts).toEqual([0, 0, 0]);
  });
});
