// The timeline: one lane per event (package:event), the shown events binned into
// pixel columns, darker where more fired. The band marks the rows the table shows;
// a click scrolls the table to that moment. Redrawn at most five times a second.

import type { EventStore } from "./store.ts";

const LANE = 14;
const LABEL = 180;
const MAX_LANES = 7;
const COLORS = ["#2f6fdb", "#0a8f6c", "#c2410c", "#7c3aed", "#be185d", "#0e7490", "#4d7c0f"];

export class Timeline {
  store: EventStore | null = null;
  view: [number, number] = [0, 0];
  onPick: (time: number) => void = () => {};
  #last = 0;
  #queued = false;
  #range: [number, number] = [0, 1];

  constructor(readonly canvas: HTMLCanvasElement) {
    canvas.addEventListener("click", (ev) => {
      const r = canvas.getBoundingClientRect();
      const x = ev.clientX - r.left - LABEL;
      if (x < 0) return;
      const [t0, t1] = this.#range;
      this.onPick(t0 + (x / (r.width - LABEL)) * (t1 - t0));
    });
  }

  update(): void {
    if (this.#queued) return;
    this.#queued = true;
    const wait = Math.max(0, 200 - (performance.now() - this.#last));
    setTimeout(() => requestAnimationFrame(() => {
      this.#queued = false;
      this.#last = performance.now();
      this.#draw();
    }), wait);
  }

  #draw(): void {
    const c = this.canvas;
    const dpr = devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    if (c.width !== w * dpr || c.height !== h * dpr) (c.width = w * dpr), (c.height = h * dpr);
    const g = c.getContext("2d")!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = "11px ui-monospace, monospace";
    const s = this.store;
    const n = s?.size ?? 0;
    if (s === null || n === 0) {
      g.fillStyle = "#6b7385";
      g.fillText("no events yet: attach a probe, then use the app", 12, h / 2);
      return;
    }
    const t0 = s.at(0)!.time;
    const t1 = Math.max(s.at(n - 1)!.time, t0 + 1);
    this.#range = [t0, t1];
    const cols = Math.max(1, Math.floor(w - LABEL - 8));
    const lanes = new Map<string, Uint32Array>();
    const other = "(other events)";
    for (let i = 0; i < n; i++) {
      const r = s.at(i)!;
      let key = r.key;
      if (!lanes.has(key) && lanes.size >= MAX_LANES - 1) key = other;
      let bins = lanes.get(key);
      if (bins === undefined) lanes.set(key, (bins = new Uint32Array(cols)));
      bins[Math.min(cols - 1, Math.floor(((r.time - t0) / (t1 - t0)) * cols))]!++;
    }
    let max = 1;
    for (const bins of lanes.values()) for (const v of bins) if (v > max) max = v;
    let y = 18;
    let k = 0;
    for (const [key, bins] of lanes) {
      const color = COLORS[k++ % COLORS.length]!;
      g.fillStyle = "#1d2330";
      g.fillText(key.length > 26 ? `…${key.slice(-25)}` : key, 8, y + 10);
      g.fillStyle = color;
      for (let x = 0; x < cols; x++) {
        const v = bins[x]!;
        if (v === 0) continue;
        g.globalAlpha = 0.25 + 0.75 * Math.min(1, Math.log2(1 + v) / Math.log2(1 + max));
        g.fillRect(LABEL + x, y, 1, LANE - 3);
      }
      g.globalAlpha = 1;
      y += LANE;
    }
    // The table's rows, as a band; and the time axis.
    const [a, b] = this.view;
    if (b > a && a < n && (a > 0 || b < n)) {
      const xa = LABEL + ((s.at(a)!.time - t0) / (t1 - t0)) * cols;
      const xb = LABEL + ((s.at(Math.min(n, b) - 1)!.time - t0) / (t1 - t0)) * cols;
      g.fillStyle = "rgba(47,111,219,0.12)";
      g.fillRect(xa, 2, Math.max(2, xb - xa), h - 4);
    }
    g.fillStyle = "#6b7385";
    g.fillText(`${((t1 - t0) / 1000).toFixed(2)} s · ${n.toLocaleString()} events`, LABEL, 12);
  }
}
