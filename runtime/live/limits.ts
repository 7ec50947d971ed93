// Limits of the live protocol and the pattern check, shared by the page client, the
// dev server, the UI and `tstrace watch` (values, so not in the types-only protocol).

/** Prefix of every message name. */
export const PREFIX = "unplugin-tracing:";

export const LIMITS = {
  /** Patterns attached to one page. */
  maxPatterns: 64,
  /** Characters of one pattern. */
  maxPatternLength: 200,
  /** Events in one batch a page sends. */
  maxBatch: 5_000,
  /** Stacks in one stacks message. */
  maxStacks: 10_000,
  /** Tracepoints one page reports. */
  maxTracepoints: 20_000,
  /** Rough size (characters of JSON) of any one message a page or viewer sends. */
  maxMessageSize: 8 * 1024 * 1024,
} as const;

// Package ids are paths or npm names, events are identifiers; `*` globs.
const PATTERN = /^[\w@$.\/*-]+(?::[\w$*]+)?$/;

/** Why `patterns` is not a list of valid attach patterns, or null when it is. */
export function checkPatterns(patterns: unknown, allowEmpty = false): string | null {
  if (!Array.isArray(patterns)) return "patterns must be an array of strings";
  if (patterns.length === 0 && !allowEmpty) return "patterns must name at least one pattern";
  if (patterns.length > LIMITS.maxPatterns) return `at most ${LIMITS.maxPatterns} patterns`;
  for (const p of patterns) {
    if (typeof p !== "string") return "patterns must be strings";
    if (p.length === 0 || p.length > LIMITS.maxPatternLength) return `a pattern has 1 to ${LIMITS.maxPatternLength} characters`;
    if (!PATTERN.test(p)) return `malformed pattern ${JSON.stringify(p.slice(0, 60))} (want package:event, with * globs)`;
  }
  return null;
}
