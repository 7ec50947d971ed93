// Who may act as a viewer (watch, attach, detach, profile): a connection whose
// Origin is the dev server's own (the UI at /__tracing/, served by this server,
// and the app's own pages), or one that sends no Origin at all. Browsers always
// send Origin on a websocket, so no Origin means a program such as `tstrace watch`
// (which can read any local file the dev server serves anyway). Vite checks its
// token only when Origin is sent, and a page on another localhost port can read
// that token from /@vite/client: the token alone does not make a viewer.
//
// "Own origin" is the Host the connection asked for (which Vite's
// `server.allowedHosts` has already vetted against DNS rebinding), or one of the
// addresses the dev server serves its pages at (`server.resolvedUrls`,
// `server.origin`), for an HMR socket on a port of its own (`server.hmr.port`).

import type { IncomingMessage } from "node:http";

export interface ViewerRule {
  /** Records a new connection's headers (Vite's `connection` event). */
  connected(socket: object, req: IncomingMessage): void;
  /** Why this connection may not act as a viewer, or null when it may. */
  refusal(socket: object | undefined): string | null;
}

export const VIEWER_RULE =
  "viewer messages are accepted only from the dev server's own origin (its /__tracing/ UI) or from a client that sends no Origin header (tstrace watch)";

export function createViewerRule(servedAt: () => Iterable<string> = () => []): ViewerRule {
  /** socket -> the Origin it sent and the Host it asked for */
  const seen = new WeakMap<object, { origin: string | undefined; host: string | undefined }>();
  return {
    connected(socket, req) {
      const origin = req.headers.origin;
      seen.set(socket, { origin: typeof origin === "string" ? origin : undefined, host: req.headers.host });
    },
    refusal(socket) {
      const h = socket === undefined ? undefined : seen.get(socket);
      if (h === undefined) return `${VIEWER_RULE}; this connection's origin is unknown`;
      if (h.origin === undefined) return null;
      let own = false;
      try {
        const u = new URL(h.origin);
        const web = u.protocol === "http:" || u.protocol === "https:";
        own = web && ((h.host !== undefined && u.host === h.host.toLowerCase()) || [...servedAt()].some((s) => sameOrigin(s, u)));
      } catch {
        own = false;
      }
      return own ? null : `${VIEWER_RULE}; this connection's origin is ${JSON.stringify(h.origin.slice(0, 200))}`;
    },
  };
}

function sameOrigin(url: string, u: URL): boolean {
  try {
    return new URL(url).origin === u.origin;
  } catch {
    return false;
  }
}
