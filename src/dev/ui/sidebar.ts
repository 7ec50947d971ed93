// The side panel: connected pages, the selected page's attached patterns, and its
// tracepoints grouped by package with probe counts and a checkbox each. A saved
// recording is read-only: its tracepoints show how often each fired, with no checkbox.

import type { PageInfo, WireTracepoint } from "../../../runtime/live/protocol.ts";
import { countMatches } from "./pattern-match.ts";

export interface SidebarActions {
  select(page: string): void;
  attach(patterns: string[]): void;
  detach(patterns: string[]): void;
}

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const el = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  el.append(...kids);
  return el;
};

export function renderPages(ul: HTMLElement, pages: PageInfo[], selected: string | null, act: SidebarActions, saved: ReadonlySet<string>): void {
  ul.replaceChildren();
  if (pages.length === 0) {
    ul.append(h("li", { className: "empty", textContent: "no page connected: open the app" }));
    return;
  }
  for (const p of pages) {
    const isSaved = saved.has(p.id);
    const li = h(
      "li",
      { className: `${p.id === selected ? "sel" : ""}${isSaved ? " saved" : ""}` },
      h("div", { className: "url", textContent: p.url }),
      h("div", { className: "meta", textContent: `${isSaved ? "saved · " : ""}${p.title || "untitled"} · ${p.received.toLocaleString()} events${p.dropped ? ` · ${p.dropped.toLocaleString()} dropped` : ""}${loadsOf(p)}` }),
    );
    li.dataset.page = p.id;
    li.addEventListener("click", () => act.select(p.id));
    ul.append(li);
  }
}

/** A page the server keeps across its reloads: whether it is away now, and how many loads its recording spans. */
function loadsOf(p: PageInfo): string {
  if (p.connected === false) return " · reloading…";
  return (p.loads ?? 1) > 1 ? ` · ${p.loads} loads` : "";
}

/** `names`: the page's `package:event`s, so a pattern that selects none of them says so. */
export function renderPatterns(box: HTMLElement, patterns: string[], act: SidebarActions, names: readonly string[]): void {
  box.replaceChildren(
    ...patterns.map((p) => {
      const x = h("button", { title: `detach ${p}`, textContent: "×" });
      x.addEventListener("click", () => act.detach([p]));
      const n = countMatches(p, names);
      const chip = h("span", { className: n ? "chip" : "chip none", title: n ? `${p}: ${n} tracepoint${n === 1 ? "" : "s"}` : `${p} matches no tracepoint of this page yet; it applies to modules that load later` }, p);
      if (!n) chip.append(" ", h("span", { className: "why", textContent: "matches nothing yet" }));
      chip.append(x);
      chip.dataset.pattern = p;
      return chip;
    }),
  );
}

/** `recorded`, for a saved recording: events kept per `package:event`; the list is then read-only. */
export function renderTracepoints(box: HTMLElement, tps: WireTracepoint[], patterns: string[], act: SidebarActions, closed: Set<string>, recorded?: ReadonlyMap<string, number>): void {
  box.replaceChildren();
  box.className = tps.length ? "" : "empty";
  if (tps.length === 0) {
    box.textContent = "none loaded yet";
    return;
  }
  const byPkg = new Map<string, WireTracepoint[]>();
  for (const t of tps) {
    let list = byPkg.get(t.package);
    if (!list) byPkg.set(t.package, (list = []));
    list.push(t);
  }
  if (recorded !== undefined) return renderRecorded(box, byPkg, recorded, closed);
  const on = new Set(patterns);
  for (const [pkg, list] of byPkg) {
    const all = on.has(`${pkg}:*`) || on.has(pkg);
    const pkgBox = h("input", { type: "checkbox", checked: all, title: `attach ${pkg}:*` });
    pkgBox.dataset.pattern = `${pkg}:*`;
    pkgBox.addEventListener("click", (ev) => ev.stopPropagation());
    pkgBox.addEventListener("change", () => (pkgBox.checked ? act.attach([`${pkg}:*`]) : act.detach([`${pkg}:*`, pkg])));
    const probes = list.reduce((n, t) => n + t.probeCount, 0);
    const details = h("details", { className: "pkg", open: !closed.has(pkg) }, h("summary", {}, pkgBox, ` ${pkg} `, h("span", { className: probes ? "count live" : "count", textContent: `(${list.length})` })));
    details.addEventListener("toggle", () => (details.open ? closed.delete(pkg) : closed.add(pkg)));
    for (const t of list) {
      const pattern = `${t.package}:${t.name}`;
      const cb = h("input", { type: "checkbox", checked: all || on.has(pattern), disabled: all });
      cb.dataset.pattern = pattern;
      cb.addEventListener("change", () => (cb.checked ? act.attach([pattern]) : act.detach([pattern])));
      details.append(
        h(
          "label",
          { className: "tp", title: `${t.signature}\n${t.location}` },
          cb,
          h("span", { className: "sig", textContent: t.signature }),
          h("span", { className: t.probeCount ? "count live" : "count", title: "probes attached", textContent: String(t.probeCount) }),
        ),
      );
    }
    box.append(details);
  }
}

function renderRecorded(box: HTMLElement, byPkg: Map<string, WireTracepoint[]>, recorded: ReadonlyMap<string, number>, closed: Set<string>): void {
  for (const [pkg, list] of byPkg) {
    const total = list.reduce((n, t) => n + (recorded.get(`${t.package}:${t.name}`) ?? 0), 0);
    const details = h("details", { className: "pkg", open: !closed.has(pkg) }, h("summary", {}, `${pkg} `, h("span", { className: "count", title: "events in the recording", textContent: `(${total.toLocaleString()})` })));
    details.addEventListener("toggle", () => (details.open ? closed.delete(pkg) : closed.add(pkg)));
    for (const t of list) {
      const n = recorded.get(`${t.package}:${t.name}`) ?? 0;
      const row = h("div", { className: "tp", title: t.signature }, h("span", { className: "sig", textContent: t.signature }), h("span", { className: "count", title: "events in the recording", textContent: n.toLocaleString() }));
      row.dataset.event = `${t.package}:${t.name}`;
      details.append(row);
    }
    box.append(details);
  }
}
