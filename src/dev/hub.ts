// The dev server's live-probing state: connected pages (one per tab, gone when its
// socket closes, so a reload makes a new page), viewers (UI tabs and `tstrace watch`),
// which viewer attached which patterns where, and a bounded event history per page.
// The hub decides each page's probe state and relays events to viewers; it never
// runs anything a message carries.

import type { AttachMessage, DetachMessage, EventsMessage, HelloMessage, MessageName, Messages, PageInfo, StacksMessage, TracepointsMessage, WireEvent, WireTracepoint } from "../../runtime/live/protocol.ts";

/** One websocket connection, as Vite's `server.ws` hands it to listeners. */
export interface Peer {
  send(event: string, data?: unknown): void;
  readonly socket?: { readonly readyState: number; readonly bufferedAmount: number } | undefined;
}

export interface HubOptions {
  /** Events kept per page for viewers that connect later. */
  historySize?: number;
  /** Bytes queued on a viewer's socket beyond which events to it are skipped. */
  maxQueued?: number;
  /** How long a page has to answer a profile request. */
  profileTimeoutMs?: number;
  /** Turns a page's stack counts into a gzipped pprof profile. */
  encodeProfile: (stacks: StacksMessage) => Promise<Uint8Array>;
}

interface Page {
  info: PageInfo;
  peer: Peer;
  tracepoints: WireTracepoint[];
  history: WireEvent[];
  /** pattern -> viewers that want it */
  wanted: Map<string, Set<Peer>>;
  /** viewers that want stacks counted */
  stacksBy: Set<Peer>;
}

interface Viewer {
  skipped: number;
  /** patterns attached with page "*": applied to pages that connect later too */
  everywhere: Set<string>;
  stacks: boolean;
}

interface PendingProfile {
  viewer: Peer;
  page: string;
  request: number;
  timer: ReturnType<typeof setTimeout>;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub(options: HubOptions) {
  const historySize = options.historySize ?? 10_000;
  const maxQueued = options.maxQueued ?? 8 * 1024 * 1024;
  const pages = new Map<string, Page>();
  const viewers = new Map<Peer, Viewer>();
  const pending = new Map<number, PendingProfile>();
  let nextRequest = 1;
  let pagesTimer: ReturnType<typeof setTimeout> | undefined;

  const isOpen = (p: Peer) => p.socket === undefined || p.socket.readyState === 1;
  function sendTo<K extends MessageName>(peer: Peer, name: K, data: Messages[K]): void {
    if (!isOpen(peer)) return;
    try {
      peer.send(name, data);
    } catch {
      // A socket closing under us: its disconnect cleans up.
    }
  }
  const toViewers = <K extends MessageName>(name: K, data: Messages[K]) => {
    for (const v of viewers.keys()) sendTo(v, name, data);
  };

  const pageList = (): PageInfo[] => [...pages.values()].map((p) => ({ ...p.info, patterns: [...p.wanted.keys()], stacks: p.stacksBy.size > 0 }));
  /** Debounced: page lists go out at most every 100 ms. */
  function pagesChanged(): void {
    if (pagesTimer !== undefined) return;
    pagesTimer = setTimeout(() => {
      pagesTimer = undefined;
      toViewers("unplugin-tracing:pages", { pages: pageList() });
    }, 100);
    pagesTimer.unref?.();
  }

  /** Sends a page its whole probe state. */
  function configure(page: Page): void {
    sendTo(page.peer, "unplugin-tracing:configure", { patterns: [...page.wanted.keys()], stacks: page.stacksBy.size > 0 });
    pagesChanged();
  }

  function want(page: Page, viewer: Peer, patterns: readonly string[]): void {
    for (const p of patterns) {
      let set = page.wanted.get(p);
      if (set === undefined) page.wanted.set(p, (set = new Set()));
      set.add(viewer);
    }
  }

  function unwant(page: Page, viewer: Peer, patterns: readonly string[] | null): boolean {
    let changed = false;
    for (const [p, set] of page.wanted) {
      if (patterns !== null && !patterns.includes(p)) continue;
      if (set.delete(viewer) && set.size === 0) page.wanted.delete(p), (changed = true);
    }
    if (patterns === null && page.stacksBy.delete(viewer)) changed = true;
    return changed;
  }

  const targets = (ref: string): Page[] | string => {
    if (ref === "*") return [...pages.values()];
    const p = pages.get(ref);
    return p ? [p] : `no connected page ${ref}`;
  };

  return {
    /** A page registered (or re-registered after its socket reconnected). */
    hello(peer: Peer, msg: HelloMessage): void {
      let page = pages.get(msg.page);
      if (page !== undefined && page.peer !== peer) throw new Error(`page id ${msg.page} belongs to another connection`);
      if (page === undefined) {
        page = {
          info: { id: msg.page, url: msg.url, title: msg.title, timeOrigin: msg.timeOrigin, connectedAt: Date.now(), patterns: [], stacks: false, dropped: 0, failures: 0, received: 0 },
          peer,
          tracepoints: [],
          history: [],
          wanted: new Map(),
          stacksBy: new Set(),
        };
        pages.set(msg.page, page);
        for (const [v, viewer] of viewers) {
          want(page, v, [...viewer.everywhere]);
          if (viewer.stacks && viewer.everywhere.size > 0) page.stacksBy.add(v);
        }
      } else {
        page.info.url = msg.url;
        page.info.title = msg.title;
      }
      configure(page);
    },

    tracepoints(peer: Peer, msg: TracepointsMessage): void {
      const page = own(peer, msg.page);
      page.tracepoints = msg.tracepoints;
      toViewers("unplugin-tracing:page-tracepoints", msg);
    },

    events(peer: Peer, msg: EventsMessage): void {
      const page = own(peer, msg.page);
      const info = page.info;
      info.received += msg.events.length;
      const countersChanged = info.dropped !== msg.dropped || info.failures !== msg.failures;
      info.dropped = msg.dropped;
      info.failures = msg.failures;
      const h = page.history;
      for (const e of msg.events) h.push(e);
      // Trim in chunks so the history costs amortised O(1) per event.
      if (h.length > historySize * 1.25) h.splice(0, h.length - historySize);
      for (const [v, viewer] of viewers) {
        if (v.socket !== undefined && v.socket.bufferedAmount > maxQueued) {
          viewer.skipped += msg.events.length;
          continue;
        }
        sendTo(v, "unplugin-tracing:page-events", { page: msg.page, events: msg.events, skipped: viewer.skipped });
      }
      if (countersChanged || msg.events.length > 0) pagesChanged();
    },

    stacks(peer: Peer, msg: StacksMessage): void {
      own(peer, msg.page);
      const req = pending.get(msg.request);
      if (req === undefined || req.page !== msg.page) throw new Error(`no profile request ${msg.request} for this page`);
      pending.delete(msg.request);
      clearTimeout(req.timer);
      options.encodeProfile(msg).then(
        (bytes) => sendTo(req.viewer, "unplugin-tracing:profile-data", { page: msg.page, request: req.request, base64: Buffer.from(bytes).toString("base64") }),
        (err) => sendTo(req.viewer, "unplugin-tracing:error", { event: "unplugin-tracing:profile", message: `profile: ${err?.message ?? err}` }),
      );
    },

    /** A viewer subscribes: it gets the pages, their tracepoints and (by default) their history. */
    watch(peer: Peer, history: boolean): void {
      if (!viewers.has(peer)) viewers.set(peer, { skipped: 0, everywhere: new Set(), stacks: false });
      sendTo(peer, "unplugin-tracing:pages", { pages: pageList() });
      for (const p of pages.values()) {
        sendTo(peer, "unplugin-tracing:page-tracepoints", { page: p.info.id, tracepoints: p.tracepoints });
        if (!history) continue;
        for (let i = 0; i < p.history.length; i += 5000) {
          sendTo(peer, "unplugin-tracing:page-events", { page: p.info.id, events: p.history.slice(i, i + 5000), skipped: 0, history: true });
        }
      }
    },

    attach(peer: Peer, msg: AttachMessage): void {
      const viewer = viewerOf(peer);
      const list = targets(msg.page);
      if (typeof list === "string") throw new Error(list);
      if (msg.page === "*") {
        for (const p of msg.patterns) viewer.everywhere.add(p);
        if (msg.stacks !== undefined) viewer.stacks = msg.stacks;
      }
      for (const page of list) {
        want(page, peer, msg.patterns);
        if (msg.stacks === true) page.stacksBy.add(peer);
        else if (msg.stacks === false) page.stacksBy.delete(peer);
        configure(page);
      }
    },

    detach(peer: Peer, msg: DetachMessage): void {
      const viewer = viewerOf(peer);
      const list = targets(msg.page);
      if (typeof list === "string") throw new Error(list);
      const all = msg.patterns.length === 1 && msg.patterns[0] === "*";
      if (msg.page === "*") {
        if (all) viewer.everywhere.clear();
        else for (const p of msg.patterns) viewer.everywhere.delete(p);
      }
      for (const page of list) if (unwant(page, peer, all ? null : msg.patterns)) configure(page);
    },

    profile(peer: Peer, page: string, request: number, timeoutMs = options.profileTimeoutMs ?? 10_000): void {
      viewerOf(peer);
      const p = pages.get(page);
      if (p === undefined) throw new Error(`no connected page ${page}`);
      const id = nextRequest++;
      const timer = setTimeout(() => {
        pending.delete(id);
        sendTo(peer, "unplugin-tracing:error", { event: "unplugin-tracing:profile", message: `page ${page} did not answer the profile request` });
      }, timeoutMs);
      timer.unref?.();
      pending.set(id, { viewer: peer, page, request, timer });
      sendTo(p.peer, "unplugin-tracing:collect", { request: id });
    },

    /** A socket closed: its pages are gone, its attachments are released. */
    disconnect(peer: Peer): void {
      for (const [id, page] of pages) {
        if (page.peer === peer) pages.delete(id), pagesChanged();
      }
      if (viewers.delete(peer)) {
        for (const page of pages.values()) if (unwant(page, peer, null)) configure(page);
      }
      for (const [id, req] of pending) if (req.viewer === peer) clearTimeout(req.timer), pending.delete(id);
    },

    /** For tests and the UI: the pages as viewers see them. */
    pages: pageList,

    close(): void {
      clearTimeout(pagesTimer);
      for (const req of pending.values()) clearTimeout(req.timer);
      pending.clear();
    },
  };

  function own(peer: Peer, id: string): Page {
    const page = pages.get(id);
    if (page === undefined || page.peer !== peer) throw new Error(`page ${id} is not registered on this connection (send hello first)`);
    return page;
  }

  function viewerOf(peer: Peer): Viewer {
    const v = viewers.get(peer);
    if (v === undefined) throw new Error("not watching: send unplugin-tracing:watch first");
    return v;
  }
}
