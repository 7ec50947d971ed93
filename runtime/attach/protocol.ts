// What `tstrace watch --pid` and the agent in the target exchange through the
// target's inspector. Types and names only: the CLI (src/attach/) and the agent
// (runtime/attach/agent.ts) both import this file.
//
// CLI -> agent: `Runtime.callFunctionOn` of one fixed function, with the command
// and its data as call arguments (values, never source text).
// agent -> CLI: a `Runtime.addBinding` function the agent calls with one batch
// of events at a time (batch.ts); the CLI gets it as `Runtime.bindingCalled`.

import type { WireStack, WireTracepoint } from "../live/protocol.ts";

/** `globalThis[Symbol.for(AGENT_KEY)]` is the agent's one entry point. */
export const AGENT_KEY = "unplugin-tracing.attach.v1";
/** The registry's key (runtime/tracing.ts): present means the runtime is loaded. */
export const REGISTRY_KEY = "unplugin-tracing.state.v1";

export interface HelloReply {
  pid: number;
  node: string;
  timeOrigin: number;
  /** Sessions attached now (other `tstrace watch --pid` runs). */
  sessions: number;
  /** Probes attached to all tracepoints now, ours or anyone's. */
  probes: number;
  tracepoints: number;
}

export interface AttachRequest {
  session: string;
  /** Name of the binding the agent calls with batches. */
  binding: string;
  patterns: string[];
  /** Count the stacks of matched events (for --pprof). */
  stacks: boolean;
  /** The CLI opened the inspector: if the session goes stale, the agent closes it again. */
  closeInspector?: boolean;
}

export interface DetachReply {
  dropped: number;
  failures: number;
  stacks: WireStack[];
  startWall: number;
  durationMs: number;
}

export interface Commands {
  hello: { data: null; reply: HelloReply };
  list: { data: null; reply: WireTracepoint[] };
  attach: { data: AttachRequest; reply: { attached: number } };
  /** Keeps the session alive; `acked` is the last batch the CLI has handled. */
  ping: { data: { session: string; acked?: number }; reply: boolean };
  /** Answered once the last batches are sent (the agent returns a promise; the CLI awaits it). */
  detach: { data: { session: string }; reply: DetachReply | null };
}
export type CommandName = keyof Commands;
