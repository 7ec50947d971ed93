// One registry per realm: two bundles built separately, each with its own copy of
// the runtime and of package lib, loaded into one process, share tracepoints and
// probes. Fixture: tests/fixtures/two-bundles.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => {
  const producer = await build(bundler, "two-bundles", { entry: "producer.js", outDir: `${bundler}-producer` });
  const consumer = await build(bundler, "two-bundles", { entry: "consumer.js", outDir: `${bundler}-consumer` });
  return {
    copies: [producer.file, consumer.file].map((f) => readFileSync(f, "utf8").includes("unplugin-tracing.state.v1")),
    out: await runJson(consumer.file, { preload: [producer.file] }),
  };
});

describe("one registry even when the runtime is bundled twice", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { copies, out } = await output(bundler);
    // Each bundle carries its own runtime...
    expect(copies).toEqual([true, true]);
    // ...yet a probe attached through the consumer's copy sees the producer's calls.
    expect(out.log).toEqual(["probe 1", "pattern traceTick 1", "probe 2", "pattern traceTick 2"]);
    expect(out.tracepoints).toEqual(["lib:traceTick 2"]);
  });
});
