// Binds the protocol's incoming messages on Vite's websocket to the hub: each one is
// size-checked and validated before the hub sees it, viewer messages pass the
// viewer rule (viewer-rule.ts), and a refused message or a failing handler is
// answered with `unplugin-tracing:error` and logged. Nothing thrown here reaches
// Vite's socket handler, which would crash the dev server.

import type { IncomingMessage } from "node:http";
import { LIMITS } from "../../runtime/live/limits.ts";
import type { Messages } from "../../runtime/live/protocol.ts";
import { escapeText } from "./escape.ts";
import type { Hub, Peer } from "./hub.ts";
import { checks, fitsSize, type Check } from "./validate.ts";
import { createViewerRule } from "./viewer-rule.ts";

/** The part of Vite's `server.ws` the channel needs. */
export interface Socket {
  on(event: string, listener: (data: unknown, client: Peer) => void): void;
  off(event: string, listener: (data: unknown, client: Peer) => void): void;
  /** The underlying server's new connections, with the upgrade request (Vite passes `connection` through). */
  on(event: "connection", listener: (socket: object, req: IncomingMessage) => void): void;
  off(event: "connection", listener: (socket: object, req: IncomingMessage) => void): void;
}

/** Messages only a viewer sends. */
const VIEWER_MESSAGES = new Set<string>(["unplugin-tracing:watch", "unplugin-tracing:attach", "unplugin-tracing:detach", "unplugin-tracing:profile"]);

export interface Logger {
  warn(msg: string): void;
}

type Handlers = { [K in keyof Messages]?: (peer: Peer, msg: Messages[K]) => void };

/** `servedAt`: the addresses the dev server serves pages at (origins accepted for viewers besides the socket's own Host). */
export function bindChannel(ws: Socket, hub: Hub, logger: Logger, servedAt?: () => Iterable<string>): () => void {
  // At most 20 warnings a minute: a misbehaving client must not flood the terminal;
  // what a client sent is escaped, so it cannot clear the terminal or forge a line.
  let logged = 0;
  let windowStart = Date.now();
  const warn = (msg: string) => {
    const now = Date.now();
    if (now - windowStart > 60_000) (windowStart = now), (logged = 0);
    if (++logged <= 20) logger.warn(`unplugin-tracing: ${escapeText(msg, 2 * LIMITS.maxLoggedText)}`);
    else if (logged === 21) logger.warn("unplugin-tracing: more refused messages this minute are not shown");
  };

  const handlers: Handlers = {
    "unplugin-tracing:hello": (p, m) => hub.hello(p, m),
    "unplugin-tracing:tracepoints": (p, m) => hub.tracepoints(p, m),
    "unplugin-tracing:events": (p, m) => hub.events(p, m),
    "unplugin-tracing:stacks": (p, m) => hub.stacks(p, m),
    "unplugin-tracing:page-error": (p, m) => (hub.pageError(p, m.page), warn(`page ${m.page}: ${escapeText(m.message)}`)),
    "unplugin-tracing:watch": (p, m) => hub.watch(p, m),
    "unplugin-tracing:attach": (p, m) => hub.attach(p, m),
    "unplugin-tracing:detach": (p, m) => hub.detach(p, m),
    "unplugin-tracing:profile": (p, m) => hub.profile(p, m.page, m.request),
  };

  const rule = createViewerRule(servedAt);
  const connected = (socket: object, req: IncomingMessage) => rule.connected(socket, req);
  ws.on("connection", connected);

  const listeners: Array<[string, (data: unknown, client: Peer) => void]> = [];
  for (const [event, handle] of Object.entries(handlers) as Array<[keyof Messages, (p: Peer, m: unknown) => void]>) {
    const check = checks[event] as Check<unknown> | undefined;
    const listener = (data: unknown, peer: Peer) => {
      const refuse = (why: string) => {
        warn(`refused ${event}: ${why}`);
        try {
          peer.send("unplugin-tracing:error", { event, message: why });
        } catch {
          // the socket is closing
        }
      };
      try {
        if (VIEWER_MESSAGES.has(event)) {
          const why = rule.refusal(peer.socket);
          if (why !== null) return refuse(why);
        }
        if (!fitsSize(data)) return refuse(`message larger than ${LIMITS.maxMessageSize} characters`);
        const msg = check ? check(data) : data;
        if (typeof msg === "string") return refuse(msg);
        handle(peer, msg);
      } catch (err) {
        refuse(String((err as Error)?.message ?? err));
      }
    };
    ws.on(event, listener);
    listeners.push([event, listener]);
  }
  const gone = (_: unknown, peer: Peer) => {
    try {
      hub.disconnect(peer);
    } catch (err) {
      warn(`disconnect: ${(err as Error)?.message ?? err}`);
    }
  };
  ws.on("vite:client:disconnect", gone);
  listeners.push(["vite:client:disconnect", gone]);
  return () => {
    ws.off("connection", connected);
    for (const [e, l] of listeners) ws.off(e, l);
  };
}
