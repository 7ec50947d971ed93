// A trace or attach function of another package is a positioned build error, not
// a ReferenceError at run time (issue 10, item 5); a name no package declares, or
// one a local binding shadows, is the user's and builds.
// Fixture: tests/fixtures/foreign-calls (package hello; entries call/, attach/, own/).
import { describe, expect, it } from "vitest";
import { build, buildError, bundlers, runJson } from "../helpers/build.ts";

describe("calling another package's trace function fails the build at the call", () => {
  it.each(bundlers)("%s", async (bundler) => {
    expect(await buildError(bundler, "foreign-calls", { entry: "call/main.js", outDir: `${bundler}-call` })).toContain(
      'call/main.js:4:3: traceHello is an event of package hello, callable only there (only attach functions cross packages); to attach from package call, write //trace:import "hello" and use hello_traceHello_Attach',
    );
  });
});

describe("using another package's unprefixed attach function fails the build at the use", () => {
  it.each(bundlers)("%s", async (bundler) => {
    expect(await buildError(bundler, "foreign-calls", { entry: "attach/main.js", outDir: `${bundler}-attach` })).toContain(
      'attach/main.js:4:13: traceHello_Attach is an attach function of package hello; to attach from package attach, write //trace:import "hello" and use hello_traceHello_Attach',
    );
  });
});

describe("names no package declares, and shadowed ones, are left alone", () => {
  it.each(bundlers)("%s", async (bundler) => {
    const { file } = await build(bundler, "foreign-calls", { entry: "own/main.js", outDir: `${bundler}-own` });
    expect(await runJson(file)).toEqual(["own a", "nobody b"]);
  });
});
