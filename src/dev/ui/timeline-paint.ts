// Painting the timeline's parts on its canvas: lanes of event marks, lanes of
// slices, and the colours they use. No state: timeline.ts decides what and where.

import type { Slice } from "./spans.ts";
import type { Row } from "./store.ts";
import { formatDuration } from "./time-axis.ts";
import type { TimeView } from "./time-view.ts";

export const AXIS = 24;
export const GROUP = 18;
export const LANE = 16;

export interface Theme {
  bg: string;
  fg: string;
  muted: string;
  line: string;
  side: string;
  accent: string;
  palette: string[];
}

const LIGHT = ["#2f6fdb", "#0a8f6c", "#c2410c", "#7c3aed", "#be185d", "#0e7490", "#4d7c0f", "#a16207"];
const DARK = ["#6ea1ff", "#34d399", "#fb923c", "#a78bfa", "#f472b6", "#22d3ee", "#a3e635", "#facc15"];

/** The page's colours (its CSS variables follow prefers-color-scheme). */
export function readTheme(canvas: HTMLElement): Theme {
  const cs = getComputedStyle(canvas);
  const v = (n: string, d: string) => cs.getPropertyValue(n).trim() || d;
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  return { bg: v("--bg", "#fff"), fg: v("--fg", "#1d2330"), muted: v("--muted", "#6b7385"), line: v("--line", "#e3e6ec"), side: v("--side", "#f6f7f9"), accent: v("--accent", "#2f6fdb"), palette: dark ? DARK : LIGHT };
}

/** One lane of events: a 3-pixel mark each when few are in view, else a density per pixel column. */
export function paintMarks(g: CanvasRenderingContext2D, v: TimeView, rows: readonly Row[], cols: Uint32Array, x: (t: number) => number, W: number, L: number, y: number, color: string): void {
  cols.fill(0);
  let i = lowerBound(rows, v.start - (v.span / W) * 2);
  let max = 1;
  let seen = 0;
  for (; i < rows.length && rows[i]!.time <= v.end; i++) {
    const c = Math.floor(x(rows[i]!.time) - L);
    if (c < 0 || c > W) continue;
    const n = ++cols[c]!;
    if (n > max) max = n;
    seen++;
  }
  g.fillStyle = color;
  // Few events in view: a crisp 3-pixel mark each; many: density per column.
  const wide = seen < W / 6;
  for (let c = 0; c <= W; c++) {
    const n = cols[c]!;
    if (n === 0) continue;
    g.globalAlpha = wide ? 1 : 0.3 + 0.7 * Math.min(1, Math.log2(1 + n) / Math.log2(1 + max));
    g.fillRect(L + c - (wide ? 1 : 0), y + 2, wide ? 3 : 1, LANE - 4);
  }
  g.globalAlpha = 1;
}

/** One lane of slices, each labelled when wide enough. */
export function paintSlices(g: CanvasRenderingContext2D, v: TimeView, slices: readonly Slice[], x: (t: number) => number, y: number, color: string, th: Theme): void {
  for (const s of slices) {
    if (s.end.time < v.start || s.begin.time > v.end) continue;
    const x0 = x(s.begin.time);
    const x1 = Math.max(x0 + 1, x(s.end.time));
    const top = y + s.depth * LANE + 1;
    g.fillStyle = color;
    g.globalAlpha = 0.85;
    g.fillRect(x0, top, x1 - x0, LANE - 2);
    g.globalAlpha = 1;
    if (x1 - x0 > 40) {
      g.fillStyle = th.bg;
      // Paired by an argument, a slice is named by its value (the lane names the span).
      const label = `${s.by === undefined ? s.name : `${s.by}=${JSON.stringify(s.begin.args[s.by])}`} ${formatDuration(s.end.time - s.begin.time)}`;
      const left = Math.max(x0, x(v.start));
      g.fillText(ellipsize(g, label, x1 - left - 8, true), left + 4, top + (LANE - 2) / 2 + 1);
    }
  }
}

/** Index of the first row at or after `t` (rows ascending by time). */
export function lowerBound(rows: readonly Row[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `text` cut to `max` pixels: its end kept (`…jobs:traceJobStart`), or its start when `head`. */
export function ellipsize(g: CanvasRenderingContext2D, text: string, max: number, head = false): string {
  if (max <= 0) return "";
  if (g.measureText(text).width <= max) return text;
  const cut = (n: number) => (head ? `${text.slice(0, n)}…` : `…${text.slice(text.length - n)}`);
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.measureText(cut(mid)).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}
