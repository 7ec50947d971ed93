// The tracing UI at /__tracing/: talks to the dev server over Vite's own HMR client
// (so the server's host and token settings apply), shows connected pages and their
// tracepoints, attaches by checkbox or pattern, and shows the events live. Saved
// recordings (Open trace…) are pages of a second, read-only source.

import { toTraceFile, type RecordedEvent } from "../../../runtime/trace-events.ts";
import type { PageInfo, WireTracepoint } from "../../../runtime/live/protocol.ts";
import { SavedSource } from "./saved-source.ts";
import { renderPages, renderPatterns, renderTracepoints, type SidebarActions } from "./sidebar.ts";
import type { Source } from "./source.ts";
import { EventStore } from "./store.ts";
import { EventTable } from "./table.ts";
import { Timeline } from "./timeline.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const base = document.documentElement.dataset.base ?? "/";

/** Every source's pages, in wiring order; `pages` is them all. */
const pagesOf = new Map<Source, PageInfo[]>();
/** Events each source's server skipped for this viewer. */
const skippedOf = new Map<Source, number>();
let pages: PageInfo[] = [];
const tracepoints = new Map<string, WireTracepoint[]>();
const stores = new Map<string, EventStore>();
let selected: string | null = null;
let paused = false;
let skippedWhilePaused = 0;
let nextRequest = 1;
const closedPackages = new Set<string>();
/** Patterns this UI attached, by page URL: a page that reloads gets them back. */
const sticky = new Map<string, Set<string>>();
const seen = new Set<string>();

const table = new EventTable($("rows"), $("spacer"));
const timeline = new Timeline($<HTMLCanvasElement>("timeline"));
table.onView = (a, b) => {
  timeline.view = [a, b];
  timeline.update();
};
timeline.onPick = (t) => {
  const s = storeOf(selected);
  if (s) table.scrollToIndex(s.indexAt(t));
};

function storeOf(page: string | null): EventStore | null {
  if (page === null) return null;
  let s = stores.get(page);
  if (s === undefined) {
    s = new EventStore();
    s.setFilter($<HTMLInputElement>("filter").value);
    stores.set(page, s);
  }
  return s;
}

const current = () => pages.find((p) => p.id === selected) ?? null;
const sourceOf = (page: string | undefined): Source | undefined => [...pagesOf].find(([, ps]) => ps.some((p) => p.id === page))?.[0];
const isSaved = (page: string | undefined) => sourceOf(page)?.readOnly === true;

function status(text: string, ok: boolean): void {
  const el = $("status");
  el.textContent = text;
  el.className = ok ? "status" : "status off";
}

let statsQueued = false;
function renderStats(): void {
  if (statsQueued) return;
  statsQueued = true;
  requestAnimationFrame(() => {
    statsQueued = false;
    const s = storeOf(selected);
    const p = current();
    const parts = [`${(s?.size ?? 0).toLocaleString()} shown`, `${(s?.rows.length ?? 0).toLocaleString()} kept`];
    const src = sourceOf(p?.id);
    const lost = (p?.dropped ?? 0) + (src ? (skippedOf.get(src) ?? 0) : 0);
    const el = $("stats");
    el.replaceChildren(parts.join(" · "));
    if (lost > 0) el.append(" · ", Object.assign(document.createElement("span"), { className: "drop", textContent: `${lost.toLocaleString()} dropped` }));
    if (paused) el.append(` · paused, ${skippedWhilePaused.toLocaleString()} not recorded`);
  });
}

function renderSide(): void {
  const p = current();
  renderPages($("pages"), pages, selected, actions, new Set(pages.filter((x) => isSaved(x.id)).map((x) => x.id)));
  renderPatterns($("patterns"), p?.patterns ?? [], actions);
  const recorded = isSaved(p?.id) ? storeOf(selected)?.counts() : undefined;
  renderTracepoints($("tracepoints"), selected ? (tracepoints.get(selected) ?? []) : [], p?.patterns ?? [], actions, closedPackages, recorded);
}

/** A saved recording takes no attach, stack counting or profile. */
function renderControls(readOnly: boolean): void {
  for (const id of ["pattern", "attach-button", "stacks", "pprof"]) $<HTMLInputElement | HTMLButtonElement>(id).disabled = readOnly;
  $<HTMLInputElement>("pattern").placeholder = readOnly ? "a saved recording: read-only" : "src/net:* or *:traceConn*";
}

function notice(text: string, error: boolean): void {
  const el = $("notice");
  el.hidden = text === "";
  el.className = error ? "notice error" : "notice";
  $("notice-text").textContent = text;
}

function select(page: string | null): void {
  selected = page;
  const s = storeOf(page);
  table.store = timeline.store = s;
  table.timeOrigin = current()?.timeOrigin ?? 0;
  table.follow = true;
  table.update();
  timeline.update();
  // Set from the page only when it is selected: a page list in flight must not undo a click.
  const p = current();
  if (p) $<HTMLInputElement>("stacks").checked = p.stacks;
  renderControls(isSaved(p?.id));
  renderSide();
  renderStats();
}

function remember(url: string, patterns: string[], on: boolean): void {
  let set = sticky.get(url);
  if (!set) sticky.set(url, (set = new Set()));
  for (const p of patterns) on ? set.add(p) : set.delete(p);
}

/** The selected page and its source, if the page takes requests (a live page). */
function live(): { p: PageInfo; src: Source } | null {
  const p = current();
  const src = sourceOf(p?.id);
  return p && src && !src.readOnly ? { p, src } : null;
}

const actions: SidebarActions = {
  select,
  attach(patterns) {
    const l = live();
    if (!l) return;
    remember(l.p.url, patterns, true);
    l.src.send("unplugin-tracing:attach", { page: l.p.id, patterns, stacks: $<HTMLInputElement>("stacks").checked });
  },
  detach(patterns) {
    const l = live();
    if (!l) return;
    remember(l.p.url, patterns, false);
    l.src.send("unplugin-tracing:detach", { page: l.p.id, patterns });
  },
};

function download(name: string, blob: Blob): void {
  const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function fileName(p: PageInfo, ext: string): string {
  // A saved recording is named after its file, a live page after its path.
  const name = isSaved(p.id) ? p.url.replace(/\.json$/i, "") : new URL(p.url).pathname;
  return `trace-${name.replace(/[^\w]+/g, "-").replace(/^-|-$/g, "") || "page"}-${new Date().toISOString().replace(/[:.]/g, "-")}.${ext}`;
}

function wire(src: Source): void {
  pagesOf.set(src, []);
  // The full list comes once (on watch); then one page at a time as it changes.
  src.on("unplugin-tracing:pages", (m) => setPages(m.pages));
  src.on("unplugin-tracing:page", (m) => {
    const list = [...(pagesOf.get(src) ?? [])];
    const i = list.findIndex((p) => p.id === m.page.id);
    if (i >= 0) list[i] = m.page;
    else list.push(m.page);
    setPages(list);
  });
  src.on("unplugin-tracing:page-gone", (m) => setPages((pagesOf.get(src) ?? []).filter((p) => p.id !== m.page)));
  function setPages(list: PageInfo[]): void {
    const m = { pages: list };
    const before = current();
    pagesOf.set(src, m.pages);
    // Live pages first, then saved recordings.
    const all = [...pagesOf];
    pages = [...all.filter(([s]) => !s.readOnly), ...all.filter(([s]) => s.readOnly)].flatMap(([, ps]) => ps);
    // A page that reloaded comes back with a new id: follow it, and re-attach what this UI had attached there.
    for (const p of m.pages) {
      if (seen.has(p.id) || src.readOnly) continue;
      seen.add(p.id);
      const want = [...(sticky.get(p.url) ?? [])].filter((x) => !p.patterns.includes(x));
      if (want.length) src.send("unplugin-tracing:attach", { page: p.id, patterns: want, stacks: $<HTMLInputElement>("stacks").checked });
    }
    if (!current()) {
      const next = pages.find((p) => p.url === before?.url) ?? pages[0] ?? null;
      select(next?.id ?? null);
    } else {
      table.timeOrigin = current()!.timeOrigin;
      renderSide();
      renderStats();
    }
    for (const id of stores.keys()) if (id !== selected && !pages.some((p) => p.id === id)) stores.delete(id);
    if (!src.readOnly) status(`connected · ${m.pages.length} page${m.pages.length === 1 ? "" : "s"}`, true);
  }
  src.on("unplugin-tracing:page-tracepoints", (m) => {
    tracepoints.set(m.page, m.tracepoints);
    if (m.page === selected) renderSide();
  });
  src.on("unplugin-tracing:page-events", (m) => {
    skippedOf.set(src, m.skipped);
    if (paused && !m.history) {
      skippedWhilePaused += m.events.length;
      renderStats();
      return;
    }
    storeOf(m.page)!.add(m.events);
    if (m.page === selected) {
      table.update();
      timeline.update();
      renderStats();
      if (src.readOnly) renderSide();
    }
  });
  // A pattern that matches nothing (yet) says so instead of passing in silence.
  src.on("unplugin-tracing:attached", (m) => {
    if (m.unmatched.length > 0) notice(`nothing matches ${m.unmatched.join(" ")} yet: it stays attached for modules that load later`, false);
  });
  src.on("unplugin-tracing:profile-data", (m) => {
    const bytes = Uint8Array.from(atob(m.base64), (c) => c.charCodeAt(0));
    const p = pages.find((x) => x.id === m.page);
    download(p ? fileName(p, "pb.gz") : "profile.pb.gz", new Blob([bytes], { type: "application/octet-stream" }));
  });
  src.on("unplugin-tracing:error", (m) => {
    // Another connection holds this viewer id: this tab's own socket before a reload
    // (ask again, once) or a duplicated tab (sessionStorage is copied): take a new one.
    if (m.event === "unplugin-tracing:watch" && m.message.includes("in use by another connection")) {
      const fresh = watchRetried;
      watchRetried = true;
      setTimeout(() => src.send("unplugin-tracing:watch", { history: true, viewer: viewerId(fresh) }), fresh ? 0 : 500);
      return;
    }
    console.warn(`unplugin-tracing: ${m.event ?? ""} ${m.message}`);
    status(`error: ${m.message}`, false);
  });
  src.on("vite:ws:disconnect", () => status("disconnected from the dev server", false));
  src.send("unplugin-tracing:watch", src.readOnly ? { history: true } : { history: true, viewer: viewerId() });
}

let watchRetried = false;

/** This tab's viewer id, kept across reloads so the server keeps what it attached meanwhile. */
function viewerId(fresh = false): string {
  const key = "unplugin-tracing:viewer";
  try {
    const kept = fresh ? null : sessionStorage.getItem(key);
    if (kept !== null && /^[\w-]{1,64}$/.test(kept)) return kept;
    const id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

$("notice-close").addEventListener("click", () => notice("", false));
const saved = new SavedSource();
$<HTMLInputElement>("open").addEventListener("change", async () => {
  const input = $<HTMLInputElement>("open");
  const file = input.files?.[0];
  input.value = ""; // so the same file can be opened again
  if (!file) return;
  const r = await saved.openFile(file);
  if ("error" in r) return notice(r.error, true);
  notice(r.note, false);
  select(r.page);
});

$("attach").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $<HTMLInputElement>("pattern");
  const patterns = input.value.split(/[\s,]+/).filter(Boolean);
  if (patterns.length) actions.attach(patterns), (input.value = "");
});
$("stacks").addEventListener("change", () => {
  const l = live();
  if (l) l.src.send("unplugin-tracing:attach", { page: l.p.id, patterns: [], stacks: $<HTMLInputElement>("stacks").checked });
});
let filterTimer: ReturnType<typeof setTimeout> | undefined;
$("filter").addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    const text = $<HTMLInputElement>("filter").value;
    for (const s of stores.values()) s.setFilter(text);
    table.update();
    timeline.update();
    renderStats();
  }, 120);
});
$("pause").addEventListener("click", () => {
  paused = !paused;
  skippedWhilePaused = 0;
  $("pause").textContent = paused ? "Resume" : "Pause";
  $("pause").classList.toggle("on", paused);
  renderStats();
});
$("clear").addEventListener("click", () => {
  storeOf(selected)?.clear();
  table.follow = true;
  table.update();
  timeline.update();
  renderStats();
});
$("trace").addEventListener("click", () => {
  const p = current();
  const s = storeOf(selected);
  if (!p || !s) return;
  const events: RecordedEvent[] = [];
  for (let i = 0; i < s.size; i++) {
    const r = s.at(i)!;
    events.push({ time: r.time, package: r.package, name: r.name, args: r.args, task: r.task });
  }
  const info = { processName: p.url, dropped: p.dropped + s.evicted, failures: p.failures };
  const file = toTraceFile(events, p.timeOrigin === 0 ? info : { ...info, timeOrigin: p.timeOrigin });
  download(fileName(p, "json"), new Blob([JSON.stringify(file)], { type: "application/json" }));
});
$("pprof").addEventListener("click", () => {
  const l = live();
  if (l) l.src.send("unplugin-tracing:profile", { page: l.p.id, request: nextRequest++ });
});

wire(saved);
const { createHotContext } = (await import(/* @vite-ignore */ `${base}@vite/client`)) as { createHotContext(owner: string): Source };
wire(createHotContext(`${base}__tracing/`));
