// The live-probing protocol: the messages a page, the dev server and a viewer (the
// UI at /__tracing/ or `tstrace watch`) exchange over Vite's HMR websocket as custom
// events. Types only: the page client, the server and the UI all import this file,
// and nothing else from each other.
//
// page   --hello/tracepoints/events/stacks/error-->  server
// server --attach/detach/profile-->                  page
// viewer --watch/attach/detach/profile-->            server
// server --pages/tracepoints/events/profile-data/error--> viewer
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
export interface StacksMessage {
  page: string;
  request: number;
  stacks: WireStack[];
  startWall: number;
  durationMs: number;
}
export interface PageErrorMessage {
  page: string;
  message: string;
}

// --- viewer -> server, server -> page ----------------------------------------

/** Subscribe to pages and events. */
export interface WatchMessage {
  /** Send the events kept for each page first. @default true */
  history?: boolean;
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

export interface PagesMessage {
  pages: PageInfo[];
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
  "unplugin-tracing:page-tracepoints": TracepointsMessage;
  "unplugin-tracing:page-events": ViewerEventsMessage;
  "unplugin-tracing:profile-data": ProfileDataMessage;
  "unplugin-tracing:error": ErrorMessage;
}

export type MessageName = keyof Messages;
