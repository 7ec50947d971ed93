// The timeline: a time axis over one group of lanes per task (spans as slices,
// events as marks binned into pixel columns, darker where more fired). Wheel or
// +/- zooms around the cursor, drag or the arrow keys pan, 0 fits; hovering shows
// an event or slice, a click selects it (the details panel and the table follow).
// Redrawn at most five times a second while events stream (less often when a draw
// is slow: many events), at once on interaction.

import { formatClock } from "../../../runtime/live/format.ts";
import { layout, type Group, type Lane, type Layout } from "./lanes.ts";
import type { Slice, SpanDef } from "./spans.ts";
import type { EventStore, Row } from "./store.ts";
import { formatDuration, formatSpan, ticks } from "./time-axis.ts";
import { AXIS, GROUP, LANE, ellipsize, lowerBound, paintMarks, paintSlices, readTheme, type Theme } from "./timeline-paint.ts";
import { TimeView } from "./time-view.ts";

/** Pixels a press may move and still count as a click. */
const CLICK_SLOP = 4;

export type Picked = { kind: "event"; row: Row } | { kind: "slice"; slice: Slice };

export class Timeline {
  store: EventStore | null = null;
  spans: readonly SpanDef[] = [];
  /** Group lanes by this argument instead of by task ("" : by task). */
  groupBy = "";
  /** The page's `timeOrigin` (0: unknown), for clock times in the details. */
  timeOrigin = 0;
  /** What to say when nothing is shown (set by the UI, which knows why). */
  empty = "";
  /** Shown rows the table has in view: drawn as a band. */
  band: [number, number] | null = null;
  selected: Picked | null = null;
  readonly view = new TimeView();
  onPick: (time: number) => void = () => {};
  onSelect: (picked: Picked | null) => void = () => {};
  #last = 0;
  /** Milliseconds the last draw took. */
  #cost = 0;
  #queued = false;
  #layout: Layout | null = null;
  #layoutKey = "";
  #hover: { x: number; y: number } | null = null;
  #drag: { x: number; start: number; moved: boolean } | null = null;
  #width = 0;

  /** `summary`: a list, for screen readers (and tests), of the lanes with their place on the canvas. */
  constructor(readonly canvas: HTMLCanvasElement, readonly tip: HTMLElement, readonly summary: HTMLElement) {
    canvas.addEventListener("wheel", (ev) => this.#wheel(ev), { passive: false });
    canvas.addEventListener("pointerdown", (ev) => this.#down(ev));
    canvas.addEventListener("pointermove", (ev) => this.#move(ev));
    canvas.addEventListener("pointerup", (ev) => this.#up(ev));
    canvas.addEventListener("pointerleave", () => {
      this.#hover = null;
      this.tip.hidden = true;
    });
    canvas.addEventListener("keydown", (ev) => this.#key(ev));
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.redraw());
    new ResizeObserver(() => this.redraw()).observe(canvas);
  }

  /** Schedules a redraw (throttled: events may stream in fast). */
  update(): void {
    if (this.#queued) return;
    this.#queued = true;
    // At most five times a second, and never more than a fifth of the time in drawing.
    const wait = Math.max(0, Math.max(200, 4 * this.#cost) - (performance.now() - this.#last));
    setTimeout(() => requestAnimationFrame(() => this.#frame()), wait);
  }

  /** Redraws on the next frame: the user is interacting. */
  redraw(): void {
    if (this.#queued) return;
    this.#queued = true;
    requestAnimationFrame(() => this.#frame());
  }

  /** Forget the lanes (the filter, the spans or the store changed). */
  invalidate(): void {
    this.#layoutKey = "";
    this.update();
  }

  /** Zooms to show a picked event or slice, unless it is in view already. */
  reveal(p: Picked): void {
    const [a, b] = p.kind === "event" ? [p.row.time, p.row.time] : [p.slice.begin.time, p.slice.end.time];
    if (a < this.view.start || b > this.view.end) {
      const half = Math.max(this.view.span, b - a) / 2;
      this.view.show((a + b) / 2 - half * 0.8, (a + b) / 2 + half * 0.8);
    }
    this.redraw();
  }

  #frame(): void {
    this.#queued = false;
    const t0 = performance.now();
    this.#draw();
    this.#last = performance.now();
    this.#cost = this.#last - t0;
  }

  #layoutNow(): Layout {
    const s = this.store;
    const key = s === null ? "" : `${s.first}:${s.rows.length}:${s.size}:${s.version}:${JSON.stringify(this.spans)}:${this.groupBy}`;
    if (this.#layout === null || key !== this.#layoutKey) {
      const rows: Row[] = [];
      if (s !== null) for (let i = 0; i < s.size; i++) rows.push(s.at(i)!);
      this.#layout = layout(rows, this.spans, this.groupBy);
      this.#layoutKey = key;
      const hi = Math.max(this.#layout.hi, ...this.#layout.groups.flatMap((g) => g.lanes.flatMap((l) => (l.kind === "spans" ? l.slices.map((x) => x.end.time) : []))));
      this.view.setBounds(this.#layout.lo, hi);
      this.#summarize(this.#layout);
    }
    return this.#layout;
  }

  #summarize(lay: Layout): void {
    const items: HTMLLIElement[] = [];
    let y = AXIS;
    for (const grp of lay.groups) {
      y += GROUP;
      for (const l of grp.lanes) {
        const lh = l.kind === "spans" ? l.depth * LANE : LANE;
        const li = document.createElement("li");
        li.textContent = `${grp.label} · ${l.label}: ${laneCount(l)}`;
        Object.assign(li.dataset, { task: grp.label, lane: l.label, kind: l.kind, count: String(l.kind === "spans" ? l.slices.length : l.rows.length), y: String(y), h: String(lh) });
        items.push(li);
        y += lh;
      }
    }
    this.summary.replaceChildren(...items);
  }

  #labelWidth(w: number): number {
    return Math.round(Math.min(200, Math.max(120, w * 0.22)));
  }

  #height(lay: Layout): number {
    let h = AXIS;
    for (const g of lay.groups) {
      h += GROUP;
      for (const l of g.lanes) h += l.kind === "spans" ? l.depth * LANE : LANE;
    }
    return Math.max(h + 6, 96);
  }

  #draw(): void {
    const c = this.canvas;
    const lay = this.#layoutNow();
    const h = this.#height(lay);
    if (c.style.height !== `${h}px`) c.style.height = `${h}px`;
    const dpr = devicePixelRatio || 1;
    const w = c.clientWidth;
    this.#width = w;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) (c.width = Math.round(w * dpr)), (c.height = Math.round(h * dpr));
    const g = c.getContext("2d")!;
    const th = readTheme(this.canvas);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = th.bg;
    g.fillRect(0, 0, w, h);
    g.font = "11px ui-monospace, monospace";
    g.textBaseline = "middle";
    if (lay.count === 0) {
      g.fillStyle = th.muted;
      g.fillText(this.empty || "no events", 12, h / 2);
      return;
    }
    const L = this.#labelWidth(w);
    const W = Math.max(1, w - L - 8);
    const v = this.view;
    const t0 = lay.lo;
    const x = (t: number) => L + v.xOf(t, W);
    // Where the track is and what it shows, for tests and tools that drive the canvas.
    Object.assign(c.dataset, { trackX: String(L), trackW: String(W), viewStart: String(v.start), viewEnd: String(v.end) });

    // Label column and axis with grid lines.
    g.fillStyle = th.side;
    g.fillRect(0, 0, L, h);
    const tk = ticks(v.start - t0, v.end - t0, W);
    g.strokeStyle = th.line;
    g.lineWidth = 1;
    g.beginPath();
    for (const t of tk.times) {
      const px = Math.round(x(t + t0)) + 0.5;
      g.moveTo(px, AXIS - 6);
      g.lineTo(px, h);
    }
    g.moveTo(0, AXIS + 0.5);
    g.lineTo(w, AXIS + 0.5);
    g.stroke();
    g.fillStyle = th.muted;
    for (const t of tk.times) g.fillText(formatSpan(t, tk.step), Math.round(x(t + t0)) + 3, AXIS / 2);
    g.fillStyle = th.side;
    g.fillRect(0, 0, L, AXIS);
    g.fillStyle = th.muted;
    const total = formatDuration(Math.max(lay.hi - lay.lo, 0));
    g.fillText(v.fitted ? `${lay.count.toLocaleString()} events · ${total}` : `${formatDuration(v.span)} of ${total}`, 8, AXIS / 2);

    // The table's rows, as a band.
    const s = this.store!;
    if (this.band !== null) {
      const [a, b] = this.band;
      const n = s.size;
      if (b > a && a < n && (a > 0 || b < n)) {
        const xa = x(s.at(a)!.time);
        const xb = x(s.at(Math.min(n, b) - 1)!.time);
        g.globalAlpha = 0.12;
        g.fillStyle = th.accent;
        g.fillRect(Math.max(L, xa), AXIS, Math.max(2, Math.min(w, xb) - Math.max(L, xa)), h - AXIS);
        g.globalAlpha = 1;
      }
    }

    let y = AXIS;
    let color = 0;
    const cols = new Uint32Array(W + 1);
    for (const grp of lay.groups) {
      g.fillStyle = th.fg;
      g.font = "600 11px system-ui, sans-serif";
      g.fillText(grp.label, 8, y + GROUP / 2 + 1);
      g.font = "11px ui-monospace, monospace";
      g.strokeStyle = th.line;
      g.beginPath();
      g.moveTo(0, y + GROUP - 0.5);
      g.lineTo(w, y + GROUP - 0.5);
      g.stroke();
      y += GROUP;
      for (const lane of grp.lanes) {
        const col = th.palette[color++ % th.palette.length]!;
        const lh = lane.kind === "spans" ? lane.depth * LANE : LANE;
        g.fillStyle = th.fg;
        g.fillText(ellipsize(g, lane.label, L - 22, lane.kind === "spans"), 18, y + LANE / 2);
        g.save();
        g.beginPath();
        g.rect(L, y, W + 8, lh);
        g.clip();
        if (lane.kind === "events") paintMarks(g, this.view, lane.rows, cols, x, W, L, y, col);
        else paintSlices(g, this.view, lane.slices, x, y, col, th);
        g.restore();
        y += lh;
      }
    }
    this.#drawSelection(g, lay, x, th, L);
  }

  #drawSelection(g: CanvasRenderingContext2D, lay: Layout, x: (t: number) => number, th: Theme, L: number): void {
    const sel = this.selected;
    if (sel === null) return;
    const at = this.#find(lay, sel);
    if (at === null) return;
    g.strokeStyle = th.fg;
    g.lineWidth = 2;
    if (sel.kind === "event") {
      const px = x(sel.row.time);
      if (px < L) return;
      g.strokeRect(px - 3, at - 1 + 2, 6, LANE - 2);
    } else {
      const x0 = Math.max(L, x(sel.slice.begin.time));
      const x1 = Math.max(x0 + 1, x(sel.slice.end.time));
      g.strokeRect(x0 - 1, at + sel.slice.depth * LANE, x1 - x0 + 2, LANE);
    }
    g.lineWidth = 1;
  }

  /** The y of the lane that holds `p`, or null. */
  #find(lay: Layout, p: Picked): number | null {
    let y = AXIS;
    for (const grp of lay.groups) {
      y += GROUP;
      for (const l of grp.lanes) {
        if (l.kind === "events" && p.kind === "event" && l.rows.includes(p.row)) return y;
        if (l.kind === "spans" && p.kind === "slice" && l.slices.some((s) => s.begin === p.slice.begin && s.end === p.slice.end)) return y;
        y += l.kind === "spans" ? l.depth * LANE : LANE;
      }
    }
    return null;
  }

  /** What is under (px, py), in canvas pixels. */
  #hit(px: number, py: number): Picked | null {
    const lay = this.#layout;
    if (lay === null || lay.count === 0) return null;
    const L = this.#labelWidth(this.#width);
    const W = Math.max(1, this.#width - L - 8);
    if (px < L || py < AXIS) return null;
    const t = this.view.timeAt(px - L, W);
    const slop = (this.view.span / W) * 4;
    let y = AXIS;
    for (const grp of lay.groups as Group[]) {
      y += GROUP;
      for (const l of grp.lanes) {
        const lh = l.kind === "spans" ? l.depth * LANE : LANE;
        if (py >= y && py < y + lh) {
          if (l.kind === "spans") {
            const depth = Math.floor((py - y) / LANE);
            let best: Slice | null = null;
            for (const s of l.slices) if (s.depth === depth && s.begin.time - slop <= t && t <= s.end.time + slop) best = s;
            return best ? { kind: "slice", slice: best } : null;
          }
          const i = lowerBound(l.rows, t);
          let best: Row | null = null;
          for (const j of [i - 1, i]) {
            const r = l.rows[j];
            if (r && Math.abs(r.time - t) <= slop && (best === null || Math.abs(r.time - t) < Math.abs(best.time - t))) best = r;
          }
          return best ? { kind: "event", row: best } : null;
        }
        y += lh;
      }
    }
    return null;
  }

  #laneAt(py: number): string | null {
    let y = AXIS;
    for (const grp of this.#layout?.groups ?? []) {
      if (py >= y && py < y + GROUP) return grp.label;
      y += GROUP;
      for (const l of grp.lanes) {
        const lh = l.kind === "spans" ? l.depth * LANE : LANE;
        if (py >= y && py < y + lh) return `${grp.label} · ${l.label}: ${laneCount(l)}`;
        y += lh;
      }
    }
    return null;
  }

  #local(ev: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  }

  #wheel(ev: WheelEvent): void {
    const { x } = this.#local(ev);
    const L = this.#labelWidth(this.#width);
    // Over the labels the wheel scrolls the lanes; over the track it zooms and pans.
    if (x < L || this.#layout?.count === 0) return;
    ev.preventDefault();
    const W = Math.max(1, this.#width - L - 8);
    const unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? W : 1;
    if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
      const d = (ev.shiftKey && ev.deltaX === 0 ? ev.deltaY : ev.deltaX) * unit;
      this.view.pan((d / W) * this.view.span);
    } else {
      this.view.zoom(Math.exp(ev.deltaY * unit * 0.002), Math.min(1, Math.max(0, (x - L) / W)));
    }
    this.tip.hidden = true;
    this.redraw();
  }

  #down(ev: PointerEvent): void {
    if (ev.button !== 0) return;
    this.canvas.focus({ preventScroll: true });
    this.#drag = { x: ev.clientX, start: this.view.start, moved: false };
    this.canvas.setPointerCapture(ev.pointerId);
  }

  #move(ev: PointerEvent): void {
    const d = this.#drag;
    if (d !== null) {
      const dx = ev.clientX - d.x;
      if (!d.moved && Math.abs(dx) <= CLICK_SLOP) return;
      d.moved = true;
      this.canvas.classList.add("dragging");
      const L = this.#labelWidth(this.#width);
      const W = Math.max(1, this.#width - L - 8);
      this.view.pan(d.start - dx * (this.view.span / W) - this.view.start);
      this.tip.hidden = true;
      this.redraw();
      return;
    }
    const p = this.#local(ev);
    this.#hover = p;
    const hit = this.#hit(p.x, p.y);
    // Over the label column: the lane's whole name (labels are cut to fit).
    const text = hit !== null ? this.#describe(hit) : p.x < this.#labelWidth(this.#width) ? this.#laneAt(p.y) : null;
    if (text === null) {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = text;
    this.tip.hidden = false;
    const tw = this.tip.offsetWidth;
    this.tip.style.left = `${Math.min(ev.clientX + 12, innerWidth - tw - 8)}px`;
    this.tip.style.top = `${ev.clientY + 14}px`;
  }

  #up(ev: PointerEvent): void {
    const d = this.#drag;
    this.#drag = null;
    this.canvas.classList.remove("dragging");
    if (d === null || d.moved) return;
    const p = this.#local(ev);
    const hit = this.#hit(p.x, p.y);
    this.selected = hit;
    this.onSelect(hit);
    if (hit === null) {
      const L = this.#labelWidth(this.#width);
      if (p.x >= L) this.onPick(this.view.timeAt(p.x - L, Math.max(1, this.#width - L - 8)));
    }
    this.redraw();
  }

  #key(ev: KeyboardEvent): void {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const L = this.#labelWidth(this.#width);
    const W = Math.max(1, this.#width - L - 8);
    const at = this.#hover && this.#hover.x >= L ? (this.#hover.x - L) / W : 0.5;
    const k = ev.key;
    if (k === "+" || k === "=" || k === "w" || k === "W") this.view.zoom(0.7, at);
    else if (k === "-" || k === "_" || k === "s" || k === "S") this.view.zoom(1 / 0.7, at);
    else if (k === "ArrowLeft" || k === "a" || k === "A") this.view.pan(-this.view.span * 0.15);
    else if (k === "ArrowRight" || k === "d" || k === "D") this.view.pan(this.view.span * 0.15);
    else if (k === "0" || k === "Home") this.view.fit();
    else if (k === "Escape") (this.selected = null), this.onSelect(null);
    else return;
    ev.preventDefault();
    this.redraw();
  }

  #describe(p: Picked): string {
    const rel = (t: number) => `+${formatDuration(Math.max(0, t - (this.#layout?.lo ?? 0)))}`;
    if (p.kind === "event") {
      const r = p.row;
      return `${r.key}  ${rel(r.time)}${this.timeOrigin ? `  ${formatClock(this.timeOrigin + r.time)}` : ""}\n${r.text || "(no arguments)"}`;
    }
    const s = p.slice;
    return `${s.name}  ${formatDuration(s.end.time - s.begin.time)}  at ${rel(s.begin.time)}\nbegin ${s.begin.text || "(no arguments)"}\nend   ${s.end.text || "(no arguments)"}`;
  }
}

/** "1 slice", "3 events": what a lane holds, for its label and tooltip. */
function laneCount(l: Lane): string {
  const [n, what] = l.kind === "spans" ? [l.slices.length, "slice"] : [l.rows.length, "event"];
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}
