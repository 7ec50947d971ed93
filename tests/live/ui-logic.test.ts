// The UI's pure parts, without a browser: which tracepoints a pattern selects (it
// must agree with runtime attach()), span pairing, and axis ticks.
import { describe, expect, it } from "vitest";
import { compilePattern } from "../../runtime/tracing.ts";
import { countMatches, globstarHint, matcher } from "../../src/dev/ui/pattern-match.ts";
import { pairSpans } from "../../src/dev/ui/spans.ts";
import type { Row } from "../../src/dev/ui/store.ts";
import { formatSpan, ticks } from "../../src/dev/ui/time-axis.ts";

const names = ["src/net:traceConn", "src/net:traceConnEnd", "src/net/tls:traceHandshake", "app:traceHello", "@acme/net:traceX", "routes/[slug]:traceLoad"];
const patterns = ["src/net:*", "src/net", "src/**", "*:traceConn*", "**:trace*", "src/net:traceConn", "@acme/*:*", "routes/[slug]:*", "nonexistent:*", "**", "*"];

describe("pattern-match (the UI's 'matches nothing yet')", () => {
  it("selects exactly what runtime attach() selects", () => {
    for (const p of patterns)
      for (const n of names) {
        const [pkg, name] = [n.slice(0, n.lastIndexOf(":")), n.slice(n.lastIndexOf(":") + 1)];
        expect([p, n, matcher(p)(n)]).toEqual([p, n, compilePattern(p)({ package: pkg, name })]);
      }
  });

  it("counts matches, and an adversarial pattern is just a miss", () => {
    expect(countMatches("nonexistent:*", names)).toBe(0);
    expect(countMatches("src/net:*", names)).toBe(2);
    expect(matcher(`${"**".repeat(40)}Z`)("a".repeat(5000))).toBe(false);
  });

  it("names the ** pattern that would match when a * stopped at /, and only then", () => {
    const vite = ["src/jobs:traceJobStart", "src/jobs:traceJobDone", "src/net:traceRequest"];
    expect(globstarHint("*:traceJob*", vite)).toEqual({ pattern: "**:traceJob*", count: 2 });
    expect(globstarHint("*", vite)).toEqual({ pattern: "**", count: 3 });
    expect(globstarHint("*:*Start", vite)).toEqual({ pattern: "**:*Start", count: 1 });
    expect(globstarHint("src/*:traceJob*", vite)).toBeNull(); // matches already
    expect(globstarHint("*:traceNope", vite)).toBeNull(); // ** would not help
    expect(globstarHint("**:traceNope", vite)).toBeNull(); // no lone *
    expect(globstarHint("jobs", vite)).toBeNull();
  });
});

const row = (time: number, key: string, args: Row["args"] = {}, task = 1): Row => {
  const i = key.lastIndexOf(":");
  return { time, package: key.slice(0, i), name: key.slice(i + 1), args, task: { id: task, name: task === 1 ? "main" : "t" }, key, text: "", hay: "" };
};

describe("pairSpans", () => {
  it("pairs by an argument across tasks, and by task (latest open first) without one", () => {
    const rows = [row(1, "n:traceReq", { id: 1 }), row(2, "n:traceReq", { id: 2 }, 2), row(3, "n:traceRes", { id: 1 }, 2), row(4, "n:traceRes", { id: 2 }), row(5, "n:traceRes", { id: 3 })];
    const by = pairSpans(rows, [{ begin: "n:traceReq", end: "n:traceRes", by: "id" }]);
    expect(by.slices[0]!.map((s) => [s.begin.time, s.end.time])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(by.paired.has(rows[4]!)).toBe(false);
    const task = pairSpans(rows, [{ begin: "n:traceReq", end: "n:traceRes" }]);
    expect(task.slices[0]!.map((s) => [s.begin.time, s.end.time])).toEqual([
      [2, 3],
      [1, 4],
    ]);
  });
});

describe("ticks", () => {
  it("uses steps of 1, 2 or 5 times a power of ten, labelled in the step's unit", () => {
    expect(ticks(0, 100, 1000, 90)).toEqual({ step: 10, times: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });
    expect(ticks(3, 4, 100, 50).step).toBe(0.5);
    expect(formatSpan(0.25, 0.05)).toBe("250 µs");
    expect(formatSpan(12.5, 0.5)).toBe("12.5 ms");
    expect(formatSpan(2500, 500)).toBe("2500 ms");
    expect(formatSpan(3000, 1000)).toBe("3 s");
  });
});
