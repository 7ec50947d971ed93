// What the UI reads from and writes to. Two implementations: the dev server's HMR
// socket (Vite's hot context, live pages) and saved-source.ts (recordings opened
// from files), as vite-plugin-inspect's build mode answers the same calls from JSON.

import type { MessageName, Messages } from "../../../runtime/live/protocol.ts";

export interface Source {
  on<K extends MessageName>(name: K, cb: (data: Messages[K]) => void): void;
  on(name: "vite:ws:connect" | "vite:ws:disconnect", cb: () => void): void;
  send<K extends MessageName>(name: K, data: Messages[K]): void;
  /** Its pages take no attach, detach or profile request. Unset on the live socket. */
  readonly readOnly?: boolean;
}
