// A Chrome DevTools Protocol client over our websocket client: numbered calls
// answered by id, events by method name. Just what attaching to a Node
// inspector needs.

import { connect, type WsClient } from "../dev/ws-client.ts";

export class CdpError extends Error {}

export interface Cdp {
  call<T = any>(method: string, params?: object): Promise<T>;
  on(method: string, handler: (params: any) => void): void;
  close(): void;
  /** Resolves with the reason when the connection ends. */
  readonly closed: Promise<string>;
}

export async function connectCdp(url: string): Promise<Cdp> {
  const ws: WsClient = await connect(url, { timeoutMs: 5_000 });
  let next = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const handlers = new Map<string, (params: any) => void>();
  let gone: string | null = null;
  const closed = new Promise<string>((resolve) => {
    ws.onClose = (reason) => {
      gone = reason;
      for (const p of pending.values()) p.reject(new CdpError(`inspector connection closed (${reason})`));
      pending.clear();
      resolve(reason);
    };
  });
  ws.onMessage = (text) => {
    let msg: { id?: number; result?: unknown; error?: { message?: string }; method?: string; params?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.id === "number") {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new CdpError(msg.error.message ?? "inspector error"));
      else p?.resolve(msg.result);
    } else if (typeof msg.method === "string") handlers.get(msg.method)?.(msg.params);
  };
  return {
    call(method, params = {}) {
      if (gone !== null) return Promise.reject(new CdpError(`inspector connection closed (${gone})`));
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    on(method, handler) {
      handlers.set(method, handler);
    },
    close: () => ws.close(),
    closed,
  };
}
