// The dev server's live-probing state: pages (one per tab, known by an id the tab
// keeps across reloads, kept for a while when its socket closes so a reload finds
// its probes, history and stack counts again), viewers (UI tabs and `tstrace
// watch`, a named viewer's attachments outliving a reload of the UI), which viewer
// attached which patterns where, and per page a history bounded in bytes and the
// stack counts added up. The hub decides each page's probe state and relays events
// to viewers; it never runs anything a message carries. Every bound is a named
// limit in runtime/live/limits.ts.

import { LIMITS } from "../../runtime/live/limits.ts";
import { compilePattern, type Matcher } from "../../runtime/pattern.ts";
import type { AttachMessage, DetachMessage, EventsMessage, HelloMessage, MessageName, Messages, PageInfo, StacksMessage, TracepointsMessage, WatchMessage, WireEvent, WireTracepoint } from "../../runtime/live/protocol.ts";
import { History, wireSafe, type Budget } from "./history.ts";
import { StackStore } from "./stack-store.ts";

/** One websocket connection, as Vite's `server.ws` hands it to listeners. */
export interface Peer {
  send(event: string, data?: unknown): void;
  readonly socket?: { readonly readyState: number; readonly bufferedAmount: number } | undefined;
}

export interface HubOptions {
  /** Bytes queued on a viewer's socket beyond which events to it are skipped. */
  maxQueued?: number;
  /** How long a page has to answer a profile request. */
  profileTimeoutMs?: number;
  /** Overrides of the limits, for tests. */
  limits?: Partial<typeof LIMITS>;
  /** Turns a page's stack counts into a gzipped pprof profile. */
  encodeProfile: (stacks: StacksMessage) => Promise<Uint8Array>;
}

interface Viewer {
  /** The id the viewer keeps across its reloads, or null (`tstrace watch`). */
  id: string | null;
  /** Its socket, or null while a named viewer is away (reloading). */
  peer: Peer | null;
  skipped: number;
  /** patterns attached with page "*": applied to pages that connect later too */
  everywhere: Set<string>;
  stacks: boolean;
  goneTimer?: ReturnType<typeof setTimeout> | undefined;
}

interface Page {
  info: PageInfo;
  /** Its socket, or null while it reloads. */
  peer: Peer | null;
  goneTimer?: ReturnType<typeof setTimeout> | undefined;
  /** Added to this load's event times to put them on the first load's clock. */
  shift: number;
  /** Counters of earlier loads, so that `dropped` and `failures` add up across reloads. */
  droppedBefore: number;
  failuresBefore: number;
  tracepoints: WireTracepoint[];
  /** Bytes of JSON of `tracepoints`. */
  tracepointBytes: number;
  /** Attached patterns known to match a tracepoint of the page. */
  matched: Set<string>;
  history: History;
  stacks: StackStore;
  /** pattern -> viewers that want it */
  wanted: Map<string, Set<Viewer>>;
  /** viewers that want stacks counted */
  stacksBy: Set<Viewer>;
}

interface PendingProfile {
  viewer: Peer;
  page: string;
  request: number;
  timer: ReturnType<typeof setTimeout>;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub(options: HubOptions) {
  const limits = { ...LIMITS, ...options.limits };
  const maxQueued = options.maxQueued ?? 8 * 1024 * 1024;
  const pages = new Map<string, Page>();
  const viewers = new Map<Peer, Viewer>();
  const named = new Map<string, Viewer>();
  const pending = new Map<number, PendingProfile>();
  const budget: Budget = { bytes: 0, max: limits.maxHistoryBytesTotal };
  const matchers = new Map<string, Matcher>();
  const dirty = new Set<Page>();
  let nextRequest = 1;
  let dirtyTimer: ReturnType<typeof setTimeout> | undefined;

  const isOpen = (p: Peer) => p.socket === undefined || p.socket.readyState === 1;
  function sendTo<K extends MessageName>(peer: Peer | null, name: K, data: Messages[K]): void {
    if (peer === null || !isOpen(peer)) return;
    try {
      peer.send(name, data);
    } catch {
      // A socket closing under us: its disconnect cleans up.
    }
  }
  const toViewers = <K extends MessageName>(name: K, data: Messages[K]) => {
    for (const v of viewers.keys()) sendTo(v, name, data);
  };

  function matcher(pattern: string): Matcher {
    let m = matchers.get(pattern);
    if (m === undefined) {
      if (matchers.size > 4 * limits.maxPages * limits.maxPatterns) matchers.clear();
      matchers.set(pattern, (m = compilePattern(pattern)));
    }
    return m;
  }
  /** Marks which of `patterns` match a tracepoint of the page. */
  function recheck(page: Page, patterns: Iterable<string>): void {
    for (const p of patterns) {
      if (page.matched.has(p)) continue;
      const m = matcher(p);
      if (page.tracepoints.some(m)) page.matched.add(p);
    }
  }

  const infoOf = (p: Page): PageInfo => ({
    ...p.info,
    patterns: [...p.wanted.keys()],
    stacks: p.stacksBy.size > 0,
    unmatched: [...p.wanted.keys()].filter((x) => !p.matched.has(x)),
    kept: p.history.size,
    keptBytes: p.history.bytes,
    evicted: p.history.evicted,
    samples: p.stacks.samples,
  });
  const pageList = (): PageInfo[] => [...pages.values()].map(infoOf);

  /** Debounced: a changed page goes out to viewers at most every 100 ms, alone. */
  function changed(page: Page): void {
    dirty.add(page);
    if (dirtyTimer !== undefined) return;
    dirtyTimer = setTimeout(() => {
      dirtyTimer = undefined;
      const list = [...dirty];
      dirty.clear();
      for (const p of list) if (pages.get(p.info.id) === p) toViewers("unplugin-tracing:page", { page: infoOf(p) });
    }, 100);
    dirtyTimer.unref?.();
  }

  /** Sends a page its whole probe state. */
  function configure(page: Page): void {
    sendTo(page.peer, "unplugin-tracing:configure", { patterns: [...page.wanted.keys()], stacks: page.stacksBy.size > 0 });
    changed(page);
  }

  /** Why attaching `patterns` to the page would exceed the merged bound, or null. */
  function tooMany(page: Page, patterns: readonly string[]): string | null {
    let n = page.wanted.size;
    for (const p of new Set(patterns)) if (!page.wanted.has(p)) n++;
    if (n <= limits.maxPatterns) return null;
    return `page ${page.info.id} would have ${n} patterns attached (by all viewers together), more than ${limits.maxPatterns}: nothing attached; detach some first`;
  }

  function want(page: Page, viewer: Viewer, patterns: readonly string[]): void {
    for (const p of patterns) {
      let set = page.wanted.get(p);
      if (set === undefined) page.wanted.set(p, (set = new Set()));
      set.add(viewer);
    }
    recheck(page, patterns);
  }

  function unwant(page: Page, viewer: Viewer, patterns: readonly string[] | null): boolean {
    let change = false;
    for (const [p, set] of page.wanted) {
      if (patterns !== null && !patterns.includes(p)) continue;
      if (set.delete(viewer) && set.size === 0) page.wanted.delete(p), page.matched.delete(p), (change = true);
    }
    if (patterns === null && page.stacksBy.delete(viewer)) change = true;
    return change;
  }

  const targets = (ref: string): Page[] | string => {
    if (ref === "*") return [...pages.values()];
    const p = pages.get(ref);
    return p ? [p] : `no connected page ${ref}`;
  };

  function removePage(page: Page): void {
    if (pages.get(page.info.id) !== page) return;
    clearTimeout(page.goneTimer);
    pages.delete(page.info.id);
    dirty.delete(page);
    page.history.clear();
    page.stacks.clear();
    page.tracepoints = [];
    page.tracepointBytes = 0;
    toViewers("unplugin-tracing:page-gone", { page: page.info.id });
  }

  /** Room for one more page: drop the page that has been away longest, if any. */
  function makeRoom(): boolean {
    if (pages.size < limits.maxPages) return true;
    let oldest: Page | null = null;
    for (const p of pages.values()) if (p.peer === null && (oldest === null || p.info.connectedAt < oldest.info.connectedAt)) oldest = p;
    if (oldest === null) return false;
    removePage(oldest);
    return true;
  }

  /** Within the shared budget: the largest histories give up their oldest events. */
  function trimTotal(): void {
    while (budget.bytes > budget.max) {
      let largest: Page | null = null;
      for (const p of pages.values()) if (largest === null || p.history.bytes > largest.history.bytes) largest = p;
      if (largest === null || !largest.history.shift()) break;
      changed(largest);
    }
  }

  function release(v: Viewer): void {
    if (v.id !== null && named.get(v.id) === v) named.delete(v.id);
    clearTimeout(v.goneTimer);
    for (const page of pages.values()) if (unwant(page, v, null)) configure(page);
  }

  function encode(page: Page, viewer: Peer, request: number): void {
    const s = page.stacks;
    const startWall = s.startWall || Date.now();
    const msg: StacksMessage = { page: page.info.id, request, stacks: s.stacks(), startWall, durationMs: Date.now() - startWall };
    const samples = s.samples;
    options.encodeProfile(msg).then(
      (bytes) => sendTo(viewer, "unplugin-tracing:profile-data", { page: page.info.id, request, base64: Buffer.from(bytes).toString("base64"), samples }),
      (err) => sendTo(viewer, "unplugin-tracing:error", { event: "unplugin-tracing:profile", message: `profile: ${err?.message ?? err}` }),
    );
  }

  return {
    /** A page registered, re-registered after its socket reconnected, or came back after a reload. */
    hello(peer: Peer, msg: HelloMessage): void {
      let page = pages.get(msg.page);
      // An old socket that is closing (its close not handled yet): the page is back from a reload.
      if (page !== undefined && page.peer !== null && page.peer !== peer && !isOpen(page.peer)) this.disconnect(page.peer);
      if (page !== undefined && page.peer !== null && page.peer !== peer) throw new Error(`page id ${msg.page} belongs to another connection`);
      if (page === undefined || page.peer !== peer) {
        let mine = 0;
        for (const p of pages.values()) if (p.peer === peer) mine++;
        if (mine >= limits.maxPagesPerConnection) throw new Error(`at most ${limits.maxPagesPerConnection} pages per connection`);
      }
      if (page === undefined) {
        if (!makeRoom()) throw new Error(`the dev server keeps at most ${limits.maxPages} pages, all connected`);
        const info: PageInfo = {
          id: msg.page,
          url: msg.url,
          title: msg.title,
          timeOrigin: msg.timeOrigin,
          connectedAt: Date.now(),
          patterns: [],
          stacks: false,
          dropped: 0,
          failures: 0,
          received: 0,
          connected: true,
          loads: 1,
          unmatched: [],
          kept: 0,
          keptBytes: 0,
          evicted: 0,
          samples: 0,
        };
        const created: Page = {
          info,
          peer,
          shift: 0,
          droppedBefore: 0,
          failuresBefore: 0,
          tracepoints: [],
          tracepointBytes: 0,
          matched: new Set(),
          history: new History(limits.maxHistoryBytes, budget),
          stacks: new StackStore(limits.maxStacks, limits.maxStackBytes),
          wanted: new Map(),
          stacksBy: new Set(),
        };
        page = created;
        pages.set(msg.page, created);
        for (const viewer of viewers.values()) {
          if (viewer.everywhere.size === 0) continue;
          const why = tooMany(created, [...viewer.everywhere]);
          if (why !== null) {
            sendTo(viewer.peer, "unplugin-tracing:error", { event: "unplugin-tracing:attach", message: why });
            continue;
          }
          want(created, viewer, [...viewer.everywhere]);
          if (viewer.stacks) created.stacksBy.add(viewer);
        }
      } else if (page.peer === null) {
        // Back from a reload: same probes, same history, same stack counts; its new
        // clock is shifted onto the first load's.
        clearTimeout(page.goneTimer);
        page.goneTimer = undefined;
        page.peer = peer;
        page.info.connected = true;
        page.info.loads = (page.info.loads ?? 1) + 1;
        page.shift = msg.timeOrigin - page.info.timeOrigin;
        page.droppedBefore = page.info.dropped;
        page.failuresBefore = page.info.failures;
        page.info.url = msg.url;
        page.info.title = msg.title;
      } else {
        page.info.url = msg.url;
        page.info.title = msg.title;
      }
      configure(page);
    },

    tracepoints(peer: Peer, msg: TracepointsMessage): void {
      const page = own(peer, msg.page);
      const bytes = JSON.stringify(msg.tracepoints).length;
      if (bytes > limits.maxTracepointBytes) throw new Error(`tracepoint list of ${bytes} bytes, more than ${limits.maxTracepointBytes} kept per page`);
      let total = bytes;
      for (const p of pages.values()) if (p !== page) total += p.tracepointBytes;
      if (total > limits.maxTracepointBytesTotal) throw new Error(`the dev server keeps at most ${limits.maxTracepointBytesTotal} bytes of tracepoint lists for all pages`);
      page.tracepointBytes = bytes;
      // A list that shrank (a reload that has not loaded every module yet): check again.
      if (msg.tracepoints.length < page.tracepoints.length) page.matched.clear();
      page.tracepoints = msg.tracepoints;
      const before = page.matched.size;
      recheck(page, page.wanted.keys());
      if (page.matched.size !== before) changed(page);
      toViewers("unplugin-tracing:page-tracepoints", msg);
    },

    events(peer: Peer, msg: EventsMessage): void {
      const page = own(peer, msg.page);
      const info = page.info;
      info.received += msg.events.length;
      info.dropped = page.droppedBefore + msg.dropped;
      info.failures = page.failuresBefore + msg.failures;
      const events: WireEvent[] = [];
      for (const e of msg.events) {
        const kept = wireSafe(page.shift === 0 ? e : { ...e, time: e.time + page.shift });
        page.history.push(kept);
        events.push(kept.event);
      }
      trimTotal();
      for (const [v, viewer] of viewers) {
        if (v.socket !== undefined && v.socket.bufferedAmount > maxQueued) {
          viewer.skipped += events.length;
          continue;
        }
        sendTo(v, "unplugin-tracing:page-events", { page: msg.page, events, skipped: viewer.skipped });
      }
      changed(page);
    },

    stacks(peer: Peer, msg: StacksMessage): void {
      const page = own(peer, msg.page);
      page.stacks.add(msg.stacks, msg.startWall);
      changed(page);
      if (msg.request === 0) return;
      const req = pending.get(msg.request);
      if (req === undefined || req.page !== msg.page) throw new Error(`no profile request ${msg.request} for this page`);
      pending.delete(msg.request);
      clearTimeout(req.timer);
      encode(page, req.viewer, req.request);
    },

    /** A page's error report, if the page is registered on this connection. */
    pageError(peer: Peer, id: string): void {
      own(peer, id);
    },

    /** A viewer subscribes: it gets the pages, their tracepoints and (by default) their history. */
    watch(peer: Peer, msg: WatchMessage): void {
      let viewer = viewers.get(peer);
      if (viewer === undefined) {
        const back = msg.viewer !== undefined ? named.get(msg.viewer) : undefined;
        if (back !== undefined && back.peer !== null && back.peer !== peer && !isOpen(back.peer)) this.disconnect(back.peer);
        if (back !== undefined && back.peer !== null && back.peer !== peer) throw new Error(`viewer id ${msg.viewer} is in use by another connection`);
        if (back !== undefined) {
          clearTimeout(back.goneTimer);
          back.goneTimer = undefined;
          back.peer = peer;
          viewer = back;
        } else {
          viewer = { id: msg.viewer ?? null, peer, skipped: 0, everywhere: new Set(), stacks: false };
          if (viewer.id !== null) named.set(viewer.id, viewer);
        }
        viewers.set(peer, viewer);
      }
      sendTo(peer, "unplugin-tracing:pages", { pages: pageList() });
      for (const p of pages.values()) {
        sendTo(peer, "unplugin-tracing:page-tracepoints", { page: p.info.id, tracepoints: p.tracepoints });
        if (msg.history === false) continue;
        for (const events of p.history.chunks(limits.maxHistoryChunkBytes, limits.maxBatch)) {
          sendTo(peer, "unplugin-tracing:page-events", { page: p.info.id, events, skipped: 0, history: true });
        }
      }
    },

    attach(peer: Peer, msg: AttachMessage): void {
      const viewer = viewerOf(peer);
      const list = targets(msg.page);
      if (typeof list === "string") throw new Error(list);
      for (const page of list) {
        const why = tooMany(page, msg.patterns);
        if (why !== null) throw new Error(why);
      }
      if (msg.page === "*") {
        const all = new Set([...viewer.everywhere, ...msg.patterns]);
        if (all.size > limits.maxPatterns) throw new Error(`at most ${limits.maxPatterns} patterns attached to every page by one viewer: nothing attached`);
        for (const p of msg.patterns) viewer.everywhere.add(p);
        if (msg.stacks !== undefined) viewer.stacks = msg.stacks;
      }
      for (const page of list) {
        want(page, viewer, msg.patterns);
        if (msg.stacks === true) page.stacksBy.add(viewer);
        else if (msg.stacks === false) page.stacksBy.delete(viewer);
        configure(page);
      }
      const unmatched = msg.patterns.filter((p) => !list.some((page) => page.matched.has(p)));
      sendTo(peer, "unplugin-tracing:attached", { page: msg.page, patterns: msg.patterns, unmatched });
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
      for (const page of list) if (unwant(page, viewer, all ? null : msg.patterns)) configure(page);
    },

    profile(peer: Peer, page: string, request: number, timeoutMs = options.profileTimeoutMs ?? 10_000): void {
      viewerOf(peer);
      const p = pages.get(page);
      if (p === undefined) throw new Error(`no connected page ${page}`);
      let waiting = 0;
      for (const req of pending.values()) if (req.viewer === peer) waiting++;
      if (waiting >= limits.maxPendingProfiles) throw new Error(`at most ${limits.maxPendingProfiles} profile requests waiting at a time`);
      // A page that is away (reloading) has nothing newer than what the server holds.
      if (p.peer === null) return encode(p, peer, request);
      const id = nextRequest++;
      const timer = setTimeout(() => {
        pending.delete(id);
        sendTo(peer, "unplugin-tracing:error", { event: "unplugin-tracing:profile", message: `page ${page} did not answer the profile request` });
      }, timeoutMs);
      timer.unref?.();
      pending.set(id, { viewer: peer, page, request, timer });
      sendTo(p.peer, "unplugin-tracing:collect", { request: id });
    },

    /** A socket closed: its pages wait for a reload, its viewer's attachments are released (or wait, if named). */
    disconnect(peer: Peer): void {
      for (const page of pages.values()) {
        if (page.peer !== peer) continue;
        page.peer = null;
        page.info.connected = false;
        page.goneTimer = setTimeout(() => removePage(page), limits.pageGraceMs);
        page.goneTimer.unref?.();
        changed(page);
        for (const [id, req] of pending) {
          if (req.page !== page.info.id) continue;
          clearTimeout(req.timer);
          pending.delete(id);
          encode(page, req.viewer, req.request);
        }
      }
      const viewer = viewers.get(peer);
      if (viewer !== undefined) {
        viewers.delete(peer);
        viewer.peer = null;
        if (viewer.id === null) release(viewer);
        else {
          viewer.goneTimer = setTimeout(() => release(viewer), limits.viewerGraceMs);
          viewer.goneTimer.unref?.();
        }
      }
      for (const [id, req] of pending) if (req.viewer === peer) clearTimeout(req.timer), pending.delete(id);
    },

    /** For tests and the UI: the pages as viewers see them. */
    pages: pageList,
    /** For tests: bytes of history kept for all pages. */
    historyBytes: () => budget.bytes,

    close(): void {
      clearTimeout(dirtyTimer);
      for (const req of pending.values()) clearTimeout(req.timer);
      pending.clear();
      for (const p of pages.values()) clearTimeout(p.goneTimer);
      for (const v of named.values()) clearTimeout(v.goneTimer);
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
