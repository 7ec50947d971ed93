// What an empty timeline and table say: why nothing is shown, honestly (a filter
// that matches nothing is not "no events yet"), and what to do about it.

export interface EmptyFacts {
  /** A page is selected. */
  page: boolean;
  saved: boolean;
  /** Events kept for the page, filter or not. */
  kept: number;
  /** Events the filter shows. */
  shown: number;
  filter: string;
  /** Patterns attached to the page. */
  patterns: readonly string[];
  /** How many of them select at least one tracepoint. */
  matching: number;
  /** Events recorded while paused, not shown yet. */
  waiting: number;
}

/** The message, or "" when something is shown. */
export function emptyState(f: EmptyFacts): string {
  if (f.shown > 0) return "";
  if (!f.page) return "no page connected: open the app";
  if (f.kept > 0) return `no event matches the filter “${f.filter}” (${f.kept.toLocaleString()} kept)`;
  if (f.waiting > 0) return `paused: ${f.waiting.toLocaleString()} events recorded and waiting; press Resume`;
  if (f.saved) return "this recording has no events";
  if (f.patterns.length === 0) return "no events yet: attach a probe (tick a tracepoint or type a pattern)";
  if (f.matching === 0) return `nothing recorded: ${f.patterns.join(", ")} ${f.patterns.length === 1 ? "matches" : "match"} no tracepoint of this page yet`;
  return `recording ${f.patterns.join(", ")}: no events yet, use the app`;
}
