// The text of tracetest failures and where they point. A failure is one Error
// whose message is the whole report and whose stack starts at the test's line,
// captured where the test called `expect`, `recv` or `run`, because the line that
// notices a failure (a timer, a producer's probe) says nothing about the test.

import { deepEqual, describe, diff, sameType, typeName } from "./tracetest-compare.ts";

/** What `expect` reports when `have` is not `want`, or null when it is. */
export function mismatch(stream: string, want: unknown, have: unknown): string | null {
  if (!sameType(want, have)) {
    return `${stream}: expect: ${typeName(want)}: got ${typeName(have)} instead\nwant: ${describe(want)}\nhave: ${describe(have)}`;
  }
  if (deepEqual(want, have)) return null;
  const lines = diff(want, have).map((l) => `  ${l}`);
  return `${stream}: expect: ${typeName(want)}:\nwant: ${describe(want)}\nhave: ${describe(have)}\ndiff (-want +have):\n${lines.join("\n")}`;
}

/** The events nobody took or acknowledged, stream by stream; an empty stream shows as `# name`. */
export function shutdownReport(pending: ReadonlyArray<readonly [string, readonly unknown[]]>): string {
  const lines: string[] = [];
  let n = 0;
  for (const [name, events] of pending) {
    n += events.length;
    if (events.length === 0) lines.push(`# ${name}`);
    for (const e of events) lines.push(`${name}\t<- ${describe(e)}`);
  }
  return [`test shutdown: #streams: ${pending.length},  #(pending events): ${n}`, ...lines].join("\n");
}

export function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : describe(e);
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
  return framesOf(holder);
}

export function framesOf(e: unknown): string {
  const stack = (e as { stack?: unknown } | null)?.stack;
  if (typeof stack !== "string") return "";
  const lines = stack.split("\n");
  // V8 puts "Name: message" (possibly several lines) before "    at" frames;
  // Firefox and Safari list "fn@url:line:col" frames only
  let first = lines.findIndex((l) => /^\s+at /.test(l));
  if (first < 0) first = lines.findIndex((l) => /^[^\s]*@\S+:\d+:\d+$/.test(l));
  return first < 0 ? "" : lines.slice(first).join("\n");
}
