// Checks of every message the dev server receives, before anything uses it. Each
// check returns the message, rebuilt from the fields it expects (nothing else of
// the input is kept), or the reason it is refused.

import { checkPatterns, LIMITS } from "../../runtime/live/limits.ts";
import type { AttachMessage, DetachMessage, EventsMessage, HelloMessage, Messages, PageErrorMessage, ProfileMessage, StacksMessage, TracepointsMessage, WatchMessage, WireEvent, WireStack, WireTracepoint } from "../../runtime/live/protocol.ts";

export type Check<T> = (data: unknown) => T | string;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isId = (v: unknown): v is string => typeof v === "string" && /^[\w-]{1,64}$/.test(v);
const isPageRef = (v: unknown): v is string => v === "*" || isId(v);

/**
 * Whether `value` would take at most `limit` characters of JSON, roughly. The
 * walk stops as soon as the budget is spent, so an oversized message costs no
 * more to refuse than `limit`.
 */
export function fitsSize(value: unknown, limit: number = LIMITS.maxMessageSize): boolean {
  let budget = limit;
  const stack: unknown[] = [value];
  let depth = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    budget -= 8;
    if (typeof v === "string") budget -= v.length;
    else if (typeof v === "object" && v !== null) {
      if (++depth > 100_000) return false;
      if (Array.isArray(v)) for (const x of v) stack.push(x);
      else
        for (const k in v) {
          budget -= k.length;
          stack.push((v as Record<string, unknown>)[k]);
        }
    }
    if (budget < 0) return false;
  }
  return true;
}

function checkEvent(e: unknown): WireEvent | null {
  if (!isRecord(e) || !isNum(e.time) || !isStr(e.package, 300) || !isStr(e.name, 200) || !isRecord(e.args) || !isRecord(e.task)) return null;
  const t = e.task;
  if (!Number.isSafeInteger(t.id) || !isStr(t.name, 200)) return null;
  return { time: e.time, package: e.package, name: e.name, args: e.args as WireEvent["args"], task: { id: t.id as number, name: t.name } };
}

function checkTracepoint(t: unknown): WireTracepoint | null {
  if (!isRecord(t) || !isStr(t.package, 300) || !isStr(t.name, 200) || !isStr(t.signature, 2000) || !isStr(t.location, 1000) || !Number.isSafeInteger(t.probeCount)) return null;
  return { package: t.package, name: t.name, signature: t.signature, location: t.location, probeCount: t.probeCount as number };
}

function checkStack(s: unknown): WireStack | null {
  if (!isRecord(s) || !isStr(s.event, 500) || !isStr(s.location, 1000) || !Number.isSafeInteger(s.count) || !Array.isArray(s.frames) || s.frames.length > 128) return null;
  const frames = [];
  for (const f of s.frames) {
    if (!isRecord(f) || !isStr(f.functionName, 500) || !isStr(f.file, 2000) || !Number.isSafeInteger(f.line) || !Number.isSafeInteger(f.column)) return null;
    frames.push({ functionName: f.functionName, file: f.file, line: f.line as number, column: f.column as number });
  }
  return { event: s.event, location: s.location, frames, count: s.count as number };
}

function list<T>(v: unknown, max: number, item: (x: unknown) => T | null, what: string): T[] | string {
  if (!Array.isArray(v)) return `${what} must be an array`;
  if (v.length > max) return `at most ${max} ${what} per message`;
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = item(v[i]);
    if (x === null) return `${what}[${i}] is malformed`;
    out.push(x);
  }
  return out;
}

/** One check per message the server accepts. */
export const checks: { [K in keyof Messages]?: Check<Messages[K]> } = {
  "unplugin-tracing:hello": (d): HelloMessage | string => {
    if (!isRecord(d) || !isId(d.page) || !isStr(d.url, 2000) || !isStr(d.title, 500) || !isNum(d.timeOrigin)) return "want { page: id, url, title, timeOrigin }";
    return { page: d.page, url: d.url, title: d.title, timeOrigin: d.timeOrigin };
  },
  "unplugin-tracing:tracepoints": (d): TracepointsMessage | string => {
    if (!isRecord(d) || !isId(d.page)) return "want { page: id, tracepoints }";
    const tps = list(d.tracepoints, LIMITS.maxTracepoints, checkTracepoint, "tracepoints");
    return typeof tps === "string" ? tps : { page: d.page, tracepoints: tps };
  },
  "unplugin-tracing:events": (d): EventsMessage | string => {
    if (!isRecord(d) || !isId(d.page) || !Number.isSafeInteger(d.dropped) || !Number.isSafeInteger(d.failures)) return "want { page: id, events, dropped, failures }";
    const events = list(d.events, LIMITS.maxBatch, checkEvent, "events");
    return typeof events === "string" ? events : { page: d.page, events, dropped: d.dropped as number, failures: d.failures as number };
  },
  "unplugin-tracing:stacks": (d): StacksMessage | string => {
    if (!isRecord(d) || !isId(d.page) || !Number.isSafeInteger(d.request) || !isNum(d.startWall) || !isNum(d.durationMs)) return "want { page: id, request, stacks, startWall, durationMs }";
    const stacks = list(d.stacks, LIMITS.maxStacks, checkStack, "stacks");
    return typeof stacks === "string" ? stacks : { page: d.page, request: d.request as number, stacks, startWall: d.startWall, durationMs: d.durationMs };
  },
  "unplugin-tracing:page-error": (d): PageErrorMessage | string => {
    if (!isRecord(d) || !isId(d.page) || !isStr(d.message, 2000)) return "want { page: id, message }";
    return { page: d.page, message: d.message };
  },
  "unplugin-tracing:watch": (d): WatchMessage | string => {
    if (d === undefined || d === null) return {};
    if (!isRecord(d) || (d.history !== undefined && typeof d.history !== "boolean") || (d.viewer !== undefined && !isId(d.viewer))) return "want { history?: boolean, viewer?: id }";
    const msg: WatchMessage = {};
    if (d.history !== undefined) msg.history = d.history as boolean;
    if (d.viewer !== undefined) msg.viewer = d.viewer as string;
    return msg;
  },
  "unplugin-tracing:attach": (d): AttachMessage | string => {
    if (!isRecord(d) || !isPageRef(d.page)) return 'want { page: id or "*", patterns, stacks? }';
    const why = checkPatterns(d.patterns, d.stacks !== undefined);
    if (why) return why;
    if (d.stacks !== undefined && typeof d.stacks !== "boolean") return "stacks must be a boolean";
    const msg: AttachMessage = { page: d.page, patterns: [...(d.patterns as string[])] };
    if (d.stacks !== undefined) msg.stacks = d.stacks as boolean;
    return msg;
  },
  "unplugin-tracing:detach": (d): DetachMessage | string => {
    if (!isRecord(d) || !isPageRef(d.page)) return 'want { page: id or "*", patterns }';
    const why = checkPatterns(d.patterns);
    return why ?? { page: d.page, patterns: [...(d.patterns as string[])] };
  },
  "unplugin-tracing:profile": (d): ProfileMessage | string => {
    if (!isRecord(d) || !isId(d.page) || !Number.isSafeInteger(d.request)) return "want { page: id, request: integer }";
    return { page: d.page, request: d.request as number };
  },
};
