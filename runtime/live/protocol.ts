// The live-probing protocol: the messages a page, the dev server and a viewer (the
// UI at /__tracing/ or `tstrace watch`) exchange over Vite's HMR websocket as custom
// events. Types only: the page client, the server and the UI all import this file,
// and nothing else from each other.
//
// page   --hello/tracepoints/events/stacks/page-error-->  server
// server --configure/collect/error-->                     page
// viewer --watch/attach/detach/profile-->                 server
// server --pages/page/page-gone/page-tracepoints/page-events/attached/profile-data/error--> viewer
//
// The server keeps each page's state (patterns, stack counts, a history bounded in
// bytes) under the page's id, which the page keeps across reloads (sessionStorage):
// a page that reloads comes back as the same page, with its probes, and a viewer
// that reloads gets the same recording. Limits are in runtime/live/limits.ts.
//
// Who may act as a viewer (watch, attach, detach, profile): a connection from the
// dev server's own origin (the UI at /__tracing/ and the app's pages) or one that
// sends no Origin header (a non-browser client such as `tstrace watch`). A page of
// another origin (another localhost port) is refused with an error.
//
// Every message is validated by its receiver (src/dev/validate.ts on the server,
// runtime/live/commands.ts in the page). Nothing in a message is ever evaluated as
// code: patterns select built-in recorder probes by name, nothing more.

import type { Json } from "../serialize.ts";
import type { StackFrame } from "../stacks.ts";

/** Prefix of every message name. */
export type Prefix = "unplugin-tracing:";

/** One event as it travels: what the recorder keeps, without span pairing. */
export interface WireEvent {
  /** The page's `performance.now()` in milliseconds; add the page's `timeOrigin` for wall time. */
  time: number;
  package: string;
  name: string;
  args: { [key: string]: Json };
  task: { id: number; name: string };
}

/** A tracepoint as a page reports it. */
export interface WireTracepoint {
  package: string;
  name: string;
  signature: string;
  location: string;
  probeCount: number;
}

/** A connected page as viewers see it. */
export interface PageInfo {
  id: string;
  url: string;
  title: string;
  /** The page's `performance.timeOrigin` (ms since the epoch). */
  timeOrigin: number;
  connectedAt: number;
  /** Patterns attached now. */
  patterns: string[];
  /** Whether the page counts event stacks (for the pprof profile). */
  stacks: boolean;
  /** Events the page could not send (its buffer overflowed), as last reported. */
  dropped: number;
  /** The recorder's own failures in the page, as last reported. */
  failures: number;
  /** Events received from the page so far. */
  received: number;
  // The fields below are set by the server (always); optional so that saved
  // recordings and older peers need not invent them.
  /** Whether the page's socket is open; false while it reloads (kept LIMITS.pageGraceMs). */
  connected?: boolean;
  /** How many times this page has loaded: 1, plus one per reload. */
  loads?: number;
  /** Attached patterns that match none of the page's tracepoints (yet). */
  unmatched?: string[];
  /** Events the server keeps for the page (its history), and their bytes of JSON. */
  kept?: number;
  keptBytes?: number;
  /** Events the server dropped from the page's history to stay within its byte limits. */
  evicted?: number;
  /** Stack samples the server holds for the page's profile (0: nothing to download). */
  samples?: number;
}

/** A distinct stack and how often events fired from it (as runtime/profile.ts counts). */
export interface WireStack {
  event: string;
  location: string;
  frames: StackFrame[];
  count: number;
}

// --- page -> server ----------------------------------------------------------

export interface HelloMessage {
  page: string;
  url: string;
  title: string;
  timeOrigin: number;
}
export interface TracepointsMessage {
  page: string;
  tracepoints: WireTracepoint[];
}
export interface EventsMessage {
  page: string;
  events: WireEvent[];
  /** Total events dropped by the page so far. */
  dropped: number;
  failures: number;
}
/**
 * The stacks the page counted since its previous stacks message (the server adds
 * them up). `request` answers a collect; 0 is a report the page sends on its own
 * (before its patterns change, and every second while counting).
 */
export interface StacksMessage {
  page: string;
  request: number;
  stacks: WireStack[];
  startWall: number;
  durationMs: number;
}
/** Accepted only on the connection that registered the page; logged with control characters escaped. */
export interface PageErrorMessage {
  page: string;
  message: string;
}

// --- viewer -> server, server -> page ----------------------------------------

/** Subscribe to pages and events. */
export interface WatchMessage {
  /** Send the events kept for each page first. @default true */
  history?: boolean;
  /**
   * The viewer's own id (letters, digits, `_`, `-`; at most 64), kept across its
   * reloads: the attachments of a named viewer outlive its socket by
   * LIMITS.viewerGraceMs and a watch with the same id takes them back. Without it
   * (`tstrace watch`), they are released when the socket closes.
   */
  viewer?: string;
}
/** `page` is a page id, or `"*"` for every page, now and those that connect later. */
export interface AttachMessage {
  page: string;
  patterns: string[];
  /** Count stacks of the page's events for the pprof profile. */
  stacks?: boolean;
}
export interface DetachMessage {
  page: string;
  /** Patterns to detach; `["*"]` detaches everything this viewer attached. */
  patterns: string[];
}
export interface ProfileMessage {
  page: string;
  request: number;
}

/** What the server sends a page: the page's whole probe state, idempotent. */
export interface ConfigureMessage {
  patterns: string[];
  stacks: boolean;
}
/** Server asks a page for its stack counts. */
export interface CollectMessage {
  request: number;
}

// --- server -> viewer --------------------------------------------------------

/** Every page: the answer to watch. Changes follow as `page` and `page-gone`. */
export interface PagesMessage {
  pages: PageInfo[];
}
/** One page was added or changed (sent at most every 100 ms per page). */
export interface PageMessage {
  page: PageInfo;
}
/** A page is gone (its tab closed, or it did not come back from a reload in time). */
export interface PageGoneMessage {
  page: string;
}
/** The answer to attach: which of the patterns match no tracepoint yet. */
export interface AttachedMessage {
  /** A page id, or `"*"`. */
  page: string;
  patterns: string[];
  /** Patterns that match none of the tracepoints of the pages attached to (yet). */
  unmatched: string[];
}
export interface ViewerEventsMessage {
  page: string;
  events: WireEvent[];
  /** Events this viewer missed because it read too slowly. */
  skipped: number;
  /** Part of the history sent on `watch`, not live. */
  history?: boolean;
}
export interface ProfileDataMessage {
  page: string;
  request: number;
  /** A gzipped pprof profile, base64. */
  base64: string;
  /** Samples in it (0: stack counting was off, or nothing fired). */
  samples: number;
}
export interface ErrorMessage {
  /** The message that was refused, if known. */
  event?: string;
  message: string;
}

/** Every message by name, for typed send and receive on both sides. */
export interface Messages {
  "unplugin-tracing:hello": HelloMessage;
  "unplugin-tracing:tracepoints": TracepointsMessage;
  "unplugin-tracing:events": EventsMessage;
  "unplugin-tracing:stacks": StacksMessage;
  "unplugin-tracing:page-error": PageErrorMessage;
  "unplugin-tracing:watch": WatchMessage;
  "unplugin-tracing:attach": AttachMessage;
  "unplugin-tracing:detach": DetachMessage;
  "unplugin-tracing:profile": ProfileMessage;
  "unplugin-tracing:configure": ConfigureMessage;
  "unplugin-tracing:collect": CollectMessage;
  "unplugin-tracing:pages": PagesMessage;
  "unplugin-tracing:page": PageMessage;
  "unplugin-tracing:page-gone": PageGoneMessage;
  "unplugin-tracing:attached": AttachedMessage;
  "unplugin-tracing:page-tracepoints": TracepointsMessage;
  "unplugin-tracing:page-events": ViewerEventsMessage;
  "unplugin-tracing:profile-data": ProfileDataMessage;
  "unplugin-tracing:error": ErrorMessage;
}

export type MessageName = keyof Messages;
