// Mirrors recorded events into the User Timing API so Chrome DevTools' Performance
// panel shows them (extensibility API, Chrome ≥ 128): an event becomes a marker
// (`performance.mark`), a span a track entry on a track of our own
// (`performance.measure`, one track per task inside one track group).

import type { Json } from "./serialize.ts";
import type { RecordedEvent } from "./trace-events.ts";

/** How events show in DevTools. */
export interface DevtoolsOptions {
  /** Group that holds one track per task. @default "unplugin-tracing" */
  trackGroup?: string;
  /** DevTools palette colour of markers and track entries. @default "primary" */
  color?: string;
}

export interface Mirror {
  event(e: RecordedEvent): void;
  span(name: string, begin: RecordedEvent, end: RecordedEvent): void;
}

/** A mirror into `performance`, or null where User Timing with detail is missing. */
export function createMirror(opts: DevtoolsOptions): Mirror | null {
  const perf = globalThis.performance;
  if (typeof perf?.mark !== "function" || typeof perf.measure !== "function") return null;
  const trackGroup = opts.trackGroup ?? "unplugin-tracing";
  const color = opts.color ?? "primary";
  return {
    event(e) {
      perf.mark(`${e.package}:${e.name}`, {
        startTime: e.time,
        detail: { devtools: { dataType: "marker", color, tooltipText: `${e.package}:${e.name} (${e.task.name})`, properties: properties(e.args) } },
      });
    },
    span(name, b, e) {
      perf.measure(name, {
        start: b.time,
        end: e.time,
        detail: {
          devtools: {
            dataType: "track-entry",
            track: e.task.id === b.task.id ? b.task.name : `${b.task.name} → ${e.task.name}`,
            trackGroup,
            color,
            tooltipText: `${b.package}:${b.name} → ${e.name}`,
            properties: [...properties(b.args), ...properties(e.args)],
          },
        },
      });
    },
  };
}

/** DevTools shows properties as [key, text] pairs. */
function properties(args: { readonly [key: string]: Json }): [string, string][] {
  return Object.keys(args).map((k) => [k, typeof args[k] === "string" ? (args[k] as string) : JSON.stringify(args[k])]);
}
