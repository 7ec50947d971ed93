// The text of tracetest failures and where they point. A failure is one Error
// whose message is the whole report and whose stack starts at the test's line,
// captured where the test called `expect`, `recv` or `run`, because the line that
// notices a failure (a timer, a producer's probe) says nothing about the test.

import { deepEqual, describe, diff, sameType, typeName } from "./tracetest-compare.ts";

/**
 * What `expect` reports when `have` is not `want`, or null when it is. As Go's
 * tracetest: a wrong type names both types and what came; a wrong value shows
 * want, have and their differences.
 */
export function mismatch(stream: string, want: unknown, have: unknown): { report: string; why: string } | null {
  if (!sameType(want, have)) return { report: `${stream}: expect: ${typeName(want)}:  got ${describe(have)}`, why: "unexpected event type" };
  if (deepEqual(want, have)) return null;
  const lines = [`${stream}: expect: ${typeName(want)}:`, `want: ${describe(want)}`, `have: ${describe(have)}`, "diff:", ...diff(want, have)];
  return { report: lines.join("\n"), why: "unexpected event data" };
}

/** Bounds of the shutdown report: characters per event line and for all of it. */
const LINE_CHARS = 1000;
const REPORT_CHARS = 32_000;

/**
 * The events nobody took or acknowledged, stream by stream; an empty stream shows
 * as `# name`. At most about REPORT_CHARS characters: what does not fit is counted.
 */
export function shutdownReport(pending: ReadonlyArray<readonly [string, readonly unknown[]]>): string {
  let n = 0;
  for (const [, events] of pending) n += events.length;
  const lines = [`test shutdown: #streams: ${pending.length},  #(pending events): ${n}`];
  let left = REPORT_CHARS;
  let shown = 0;
  let quiet = 0;
  outer: for (const [name, events] of pending) {
    if (events.length === 0) {
      if (left <= 0) {
        quiet++;
        continue;
      }
      const line = `# ${clip(name, 200)}`;
      lines.push(line);
      left -= line.length;
      continue;
    }
    for (const e of events) {
      if (left <= 0) break outer;
      const line = `${clip(name, 200)}\t<- ${describe(e, LINE_CHARS)}`;
      lines.push(line);
      left -= line.length;
      shown++;
    }
  }
  if (shown < n) lines.push(`… ${n - shown} more pending events not shown`);
  if (quiet > 0) lines.push(`… ${quiet} more streams without events not shown`);
  return lines.join("\n");
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

export function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

/** An error as one text, read without calling getters and bounded. */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const name = ownData(e, "name");
    const message = ownData(e, "message");
    return clip(`${typeof name === "string" ? name : "Error"}: ${typeof message === "string" ? message : ""}`, 10_000);
  }
  return describe(e);
}

function ownData(o: object, k: string): unknown {
  try {
    for (let p: object | null = o, hops = 0; p !== null && hops < 32; p = Object.getPrototypeOf(p), hops++) {
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d !== undefined) return "value" in d ? d.value : undefined;
    }
  } catch {
    // a proxy on the chain
  }
  return undefined;
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(errorText(e));
}

export function makeError(message: string, frames: string): Error {
  const e = new Error(message);
  if (frames !== "") e.stack = `Error: ${message}\n${frames}`;
  return e;
}

// The frames of the current stack above `above`: where the test called us.
// V8 can cut the stack there; other engines keep our own frames on top.
export function callerFrames(above: Function): string {
  const holder: { stack?: string } = {};
  const capture = (Error as { captureStackTrace?: (o: object, f?: Function) => void }).captureStackTrace;
  if (capture) capture(holder, above);
  else holder.stack = new Error().stack ?? "";
  return framesOfText(typeof holder.stack === "string" ? holder.stack : "");
}

export function framesOf(e: unknown): string {
  const stack = e !== null && typeof e === "object" ? ownData(e, "stack") : undefined;
  return typeof stack === "string" ? framesOfText(stack) : "";
}

function framesOfText(stack: string): string {
  const lines = stack.split("\n");
  // V8 puts "Name: message" (possibly several lines) before "    at" frames;
  // Firefox and Safari list "fn@url:line:col" frames only
  let first = lines.findIndex((l) => /^\s+at /.test(l));
  if (first < 0) first = lines.findIndex((l) => /^[^\s]*@\S+:\d+:\d+$/.test(l));
  return first < 0 ? "" : lines.slice(first).join("\n");
}
