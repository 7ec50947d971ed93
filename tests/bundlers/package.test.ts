// A package is a directory: an event declared in a.js is signalled from b.js and
// attached from c.js with no import. Fixture: tests/fixtures/package.
import { describe, expect, it } from "vitest";
import { build, bundlers, perBundler, runJson } from "../helpers/build.ts";

const output = perBundler(async (bundler) => runJson((await build(bundler, "package")).file));

describe("an event declared in a.js is signalled from b.js and attached from c.js", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const out = await output(bundler);
    expect(out.log).toEqual(["connect 2 example.org:80", "close 2"]);
    expect(out.tracepoints).toEqual([
      { id: "net:traceClose", signature: "traceClose(id: number)", location: "net/a.js:3:1" },
      { id: "net:traceConnect", signature: "traceConnect(id: number, addr: string)", location: "net/a.js:2:1" },
    ]);
  });
});
