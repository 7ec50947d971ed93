// Batches from the agent -> the lines `tstrace watch --pid` prints, the same as the
// dev-server form prints (runtime/live/format.ts), built from the batch's rows
// without an object per event: at 100,000 events a second the CLI's own work
// decides how many it can carry.

import type { Json } from "../../runtime/serialize.ts";
import { formatClock } from "../../runtime/live/format.ts";
import type { EncodedBatch } from "../../runtime/attach/batch.ts";

export function linesOf(b: EncodedBatch, opts: { json: boolean; pid: number; timeOrigin: number }): string {
  const heads = b.tp.map(([pkg, name]) =>
    opts.json ? `,"pid":${opts.pid},"package":${JSON.stringify(pkg)},"event":${JSON.stringify(name)},"args":{` : ` ${pkg}:${name}`,
  );
  const keys = b.tp.map(([, , names]) => names.map((n, i) => (opts.json ? `${i ? "," : ""}${JSON.stringify(n)}:` : ` ${n}=`)));
  const tasks = b.tk.map(([, name]) => `},"task":${JSON.stringify(name)}}\n`);
  const base = opts.timeOrigin + b.t0;
  let lastMs = NaN;
  let clock = "";
  let out = "";
  for (const row of b.e) {
    const tp = row[1] as number;
    const time = base + (row[0] as number) / 1000;
    let line: string;
    if (opts.json) line = `{"time":${time}${heads[tp]}`;
    else {
      const ms = Math.floor(time);
      if (ms !== lastMs) (lastMs = ms), (clock = formatClock(ms));
      line = `${clock}${heads[tp]}`;
    }
    const k = keys[tp]!;
    for (let i = 0; i < k.length; i++) line += k[i] + value(row[3 + i]);
    out += opts.json ? line + tasks[row[2] as number] : `${line}\n`;
  }
  return out;
}

const value = (v: Json | undefined): string => (typeof v === "number" ? (Number.isFinite(v) ? String(v) : "null") : JSON.stringify(v ?? null));
