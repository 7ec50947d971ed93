// Nothing of ours leaks into what users ship or read (issue 10, item 6): no NUL
// byte (raw or escaped) and no absolute path of the build machine in output code,
// comments or source maps, with every bundler; our virtual modules show under
// printable ids relative to the root (`trace-pkg:hello`), in maps and stack frames.
// Fixture: tests/fixtures/no-leaks (a package, a //trace:import, a `trace:` import).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, bundlers, fixturesDir, perBundler, runJson } from "../helpers/build.ts";

const fixture = join(fixturesDir, "no-leaks");
// Our runtime is outside the fixture, so its (relative) paths are not caught here.
const repo = join(fixturesDir, "..", "..");
const NUL = /\0|\\u0000|\\x00|\\0|%00|__x00__/;

const output = perBundler(async (bundler) => {
  // webpack-likes: the default `webpack://` names; the helper's absolute template is a user's choice.
  const { file, outDir } = await build(bundler, "no-leaks", { defaultModuleFilenames: true });
  const texts = Object.fromEntries(readdirSync(outDir).map((f) => [f, readFileSync(join(outDir, f), "utf8")]));
  return { texts, run: await runJson<{ seen: string[]; stack: string }>(file) };
});

/** The lines of `text` that match, shortened, with NUL made visible: what the failure shows. */
const offending = (text: string, bad: (line: string) => boolean) =>
  text.split("\n").filter(bad).map((l) => l.slice(0, 200).replace(/\0/g, "<NUL>"));

describe("no NUL byte and no absolute build path in the output (issue 10)", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { texts, run } = await output(bundler);
    expect(run.seen).toEqual(["a"]);
    for (const [name, text] of Object.entries(texts)) {
      expect(offending(text, (l) => NUL.test(l)), `${name}: NUL`).toEqual([]);
      expect(offending(text, (l) => l.includes(repo)), `${name}: absolute path`).toEqual([]);
    }
    const map = JSON.parse(texts["main.mjs.map"]!) as { sources: string[] };
    // The package's virtual module is in the map under its printable, relative id.
    expect(map.sources.some((s) => /(^|[/_:])trace-pkg(:|%3A)hello$/.test(s)), map.sources.join(" ")).toBe(true);
  });
});

describe("stack frames name our virtual module by a printable id (issue 10)", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { run } = await output(bundler);
    const fire = run.stack.split("\n").find((l) => l.includes("traceHello.fire"));
    expect(fire).toMatch(/trace-pkg(:|%3A)hello:\d+:\d+\)$/);
    expect(run.stack).not.toMatch(NUL);
  });
});
