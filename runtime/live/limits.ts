// Limits of the live protocol and of what the dev server keeps, shared by the page
// client, the dev server, the UI and `tstrace watch` (values, so not in the
// types-only protocol). The README's live-probing section lists them; a test checks
// each one with the attack that motivated it (tests/live/limits.test.ts).

/** Prefix of every message name. */
export const PREFIX = "unplugin-tracing:";

export const LIMITS = {
  /** Patterns in one message, and patterns attached to one page by all viewers together. */
  maxPatterns: 64,
  /** Characters of one pattern. */
  maxPatternLength: 200,
  /** Events in one batch a page sends. */
  maxBatch: 5_000,
  /** Distinct stacks in one stacks message, and kept per page by the server. */
  maxStacks: 10_000,
  /** Tracepoints one page reports. */
  maxTracepoints: 20_000,
  /** Rough size (characters of JSON) of any one message a page or viewer sends. */
  maxMessageSize: 8 * 1024 * 1024,
  /** Bytes (of JSON) of events the server keeps per page for viewers that come later. */
  maxHistoryBytes: 8 * 1024 * 1024,
  /** Bytes (of JSON) of events the server keeps for all pages together. */
  maxHistoryBytesTotal: 32 * 1024 * 1024,
  /** Bytes (of JSON) of the stack counts the server keeps per page. */
  maxStackBytes: 4 * 1024 * 1024,
  /** Pages one websocket connection may register (a tab is one). */
  maxPagesPerConnection: 4,
  /** Pages the server keeps, connected or waiting to come back after a reload. */
  maxPages: 64,
  /** How long the server keeps a page whose socket closed, for it to come back after a reload. */
  pageGraceMs: 10_000,
  /** How long the server keeps a named viewer's attachments after its socket closed (a reload of the UI). */
  viewerGraceMs: 30_000,
  /** Bytes (of JSON) of the tracepoint list the server keeps per page, and for all pages together. */
  maxTracepointBytes: 4 * 1024 * 1024,
  maxTracepointBytesTotal: 32 * 1024 * 1024,
  /** Profile requests one viewer may have waiting for pages' answers. */
  maxPendingProfiles: 4,
  /** Bytes (of JSON) of history in one message to a viewer. */
  maxHistoryChunkBytes: 1024 * 1024,
  /** Characters of a text (page error, URL, title) the server writes to its log. */
  maxLoggedText: 500,
} as const;

// Control and format characters (except the joiners identifiers may hold) are never
// part of a package id or an event name, and must not reach a terminal.
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;

/**
 * Why `patterns` is not a list of valid attach patterns, or null when it is. Any
 * package id and event name the build accepts is a valid exact pattern (paths with
 * brackets, parentheses or spaces, `@scope/` names, unicode identifiers); only
 * empty, overlong and unprintable patterns are refused. A pattern is a name to
 * match, never code.
 */
export function checkPatterns(patterns: unknown, allowEmpty = false): string | null {
  if (!Array.isArray(patterns)) return "patterns must be an array of strings";
  if (patterns.length === 0 && !allowEmpty) return "patterns must name at least one pattern";
  if (patterns.length > LIMITS.maxPatterns) return `at most ${LIMITS.maxPatterns} patterns`;
  for (const p of patterns) {
    if (typeof p !== "string") return "patterns must be strings";
    if (p.length === 0 || p.length > LIMITS.maxPatternLength) return `a pattern has 1 to ${LIMITS.maxPatternLength} characters`;
    if (UNPRINTABLE.test(p)) return `malformed pattern ${JSON.stringify(p.slice(0, 60))} (control characters)`;
  }
  return null;
}
