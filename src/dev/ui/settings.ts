// What this UI tab remembers across a reload of itself (sessionStorage, so per tab):
// the patterns it attached per page URL, whether it counted stacks there, its span
// definitions, how lanes are grouped, the filter and the page it showed. The recording itself comes back
// from the dev server's history.

import type { SpanDef } from "./spans.ts";

export interface Settings {
  /** Patterns attached, by page URL. */
  patterns: Record<string, string[]>;
  /** Page URLs where stacks were counted. */
  stacks: string[];
  spans: SpanDef[];
  filter: string;
  /** Argument the timeline groups lanes by; "" : by task. */
  groupBy: string;
  /** URL of the page shown. */
  page: string;
}

const KEY = "unplugin-tracing.ui.v1";

const empty = (): Settings => ({ patterns: {}, stacks: [], spans: [], filter: "", groupBy: "", page: "" });

export function loadSettings(): Settings {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
    if (typeof raw !== "object" || raw === null) return empty();
    const r = raw as Partial<Settings>;
    const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    const patterns: Record<string, string[]> = {};
    if (typeof r.patterns === "object" && r.patterns !== null) for (const [k, v] of Object.entries(r.patterns)) patterns[k] = strs(v);
    const spans = Array.isArray(r.spans)
      ? r.spans.filter((s): s is SpanDef => typeof s?.begin === "string" && typeof s?.end === "string" && (s.by === undefined || typeof s.by === "string") && (s.name === undefined || typeof s.name === "string"))
      : [];
    return { patterns, stacks: strs(r.stacks), spans, filter: typeof r.filter === "string" ? r.filter : "", groupBy: typeof r.groupBy === "string" ? r.groupBy : "", page: typeof r.page === "string" ? r.page : "" };
  } catch {
    return empty();
  }
}

export function saveSettings(s: Settings): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Storage full or off: the UI still works, it just forgets on reload.
  }
}
