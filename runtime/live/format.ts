// One line per event, as `tstrace watch` prints it and the UI shows it:
// `12:00:01.234 src/hello:traceHello who="JP" n=2`.

import type { Json } from "../serialize.ts";
import type { WireEvent } from "./protocol.ts";

/** `who="JP" n=2`: each argument as name=JSON. */
export function formatArgs(args: { readonly [key: string]: Json }): string {
  let out = "";
  for (const k in args) out += `${out ? " " : ""}${k}=${JSON.stringify(args[k])}`;
  return out;
}

/** Local wall-clock time with milliseconds, `12:00:01.234`. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function formatEvent(e: WireEvent, timeOrigin: number): string {
  const args = formatArgs(e.args);
  return `${formatClock(timeOrigin + e.time)} ${e.package}:${e.name}${args ? ` ${args}` : ""}`;
}
