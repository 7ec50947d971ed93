// Every directive error of DESIGN §1 fails the build with `file:line:column: message`,
// through each bundler's own error channel. Fixtures: tests/fixtures/errors/<case>/
// (JavaScript: directives are comments, so their TypeScript syntax is fine there).
// Files are named relative to the plugin's root, which the helper sets to the fixture.
import { describe, expect, it } from "vitest";
import { buildError, bundlers, tsBundlers, type Bundler } from "../helpers/build.ts";

const cases: Array<[fixture: string, expected: string]> = [
  ["unknown-directive", "main.js:2:1: unknown directive //trace:evnt (want //trace:event or //trace:import)"],
  ["no-argument", "main.js:2:1: //trace:event needs an argument"],
  ["bad-name", 'main.js:1:15: event name helloTrace must start with "trace"'],
  ["not-signature", "main.js:1:15: event: traceHello: string is not a call signature like traceHello(arg: type)"],
  ["type-parameters", "main.js:1:25: event traceHello: type parameters are not allowed"],
  ["return-type", "main.js:1:40: event traceHello: return type must be void"],
  // It parses, but TypeScript refuses it: the parser's reason, at the parameter.
  ["optional-before-required", "main.js:1:40: event traceHello: a required parameter cannot follow an optional parameter"],
  ["too-many-arguments", "main.js:2:25: traceHello(who: string) takes 1 argument; this call passes 2 (the rest would be dropped)"],
  ["this-parameter", "main.js:1:26: event traceHello: a this parameter is not allowed (probes get the arguments only)"],
  ["attach-collision", "main.js:2:1: event traceHello_Attach collides with the attach function generated for event traceHello (declared at main.js:1:1); rename it"],
  ["default-value", "main.js:1:26: event traceHello: parameter n has a default value; defaults are not allowed"],
  ["destructuring", "main.js:1:26: event traceHello: parameter must be a plain name, not a destructuring pattern"],
  // Both places are named: the second declaration, and the first in the message.
  ["duplicate-event", "net/b.js:2:1: event traceHello declared twice in package net (first at net/a.js:1:1)"],
  ["import-malformed-spec", 'app/app.js:1:16: import: malformed spec "foo?bar"'],
  ["import-malformed-syntax", 'app/app.js:2:16: import: want "spec" or name "spec", have net lib "../lib"'],
  // (the list of places tried that follows is left to src/context.ts)
  ["import-nothing", 'app/app.js:1:16: import "../nowhere": no package found'],
  ["import-twice", 'app/app.js:2:22: import "../lib": package lib imported twice (first at app/app.js:1:1)'],
  ["import-empty", 'app/app.js:1:16: import "../empty": package empty does not export anything trace-related'],
  // Columns count UTF-16 units, as JS strings and editors do: each 😀 is two
  // (in UTF-8 bytes this would be column 41, in code points 35).
  ["utf16-column", "main.js:3:37: event traceHello: parameter b has a default value; defaults are not allowed"],
  // Positions as editors show them: a byte-order mark takes no column; a lone \r ends a line.
  ["bom-position", "main.js:1:39: event traceHello: parameter n has a default value; defaults are not allowed"],
  ["cr-position", "main.js:3:39: event traceHello: parameter n has a default value; defaults are not allowed"],
];

// TypeScript modules keep requiring parameter types (JavaScript ones may omit them);
// built by the bundlers that read TypeScript.
const tsCases: Array<[fixture: string, expected: string]> = [["untyped-parameter-ts", "main.ts:1:39: event traceHello: parameter n needs a type (n: T)"]];

describe.each([...cases.map((c) => [...c, bundlers, "main.js"] as const), ...tsCases.map((c) => [...c, tsBundlers, "main.ts"] as const)])("directive error: %s", (fixture, expected, which: readonly Bundler[], entry) => {
  it.each(which)("%s", async (bundler) => {
    const message = await buildError(bundler, `errors/${fixture}`, { entry });
    expect(message).toContain(expected);
    if (bundler === "esbuild") {
      // esbuild prints its own location first (0-based column): the user's file, not the plugin's.
      const [, file, line] = /^(.+?):(\d+):\d+: /.exec(expected)!;
      expect(message).toMatch(new RegExp(`\\n${file}:${line}:\\d+: ERROR: \\[plugin: unplugin-tracing\\] `));
    }
  });
});
