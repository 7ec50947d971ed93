// The part of the recording the timeline shows: [start, end] in the page's
// milliseconds. Zoom keeps the time under the cursor in place; pan moves by time;
// both stay within the recording (with a little room at the edges). While the
// user has not zoomed or panned, the view follows the recording as it grows.

/** Narrowest view: one microsecond. */
const MIN_SPAN = 0.001;

export class TimeView {
  start = 0;
  end = 1;
  /** Whether the view tracks the whole recording (until the user zooms or pans). */
  fitted = true;
  #lo = 0;
  #hi = 1;

  /** The recording now spans [lo, hi]; a fitted view shows all of it. */
  setBounds(lo: number, hi: number): void {
    if (hi <= lo) hi = lo + 1;
    this.#lo = lo;
    this.#hi = hi;
    if (this.fitted) {
      const pad = (hi - lo) * 0.01;
      this.start = lo - pad;
      this.end = hi + pad;
    } else this.#clamp();
  }

  fit(): void {
    this.fitted = true;
    this.setBounds(this.#lo, this.#hi);
  }

  get span(): number {
    return this.end - this.start;
  }

  /** Zooms by `factor` (< 1 zooms in) around the time at fraction `at` (0..1) of the width. */
  zoom(factor: number, at = 0.5): void {
    const pivot = this.start + this.span * at;
    const span = Math.min(Math.max(this.span * factor, MIN_SPAN), this.#maxSpan());
    this.start = pivot - span * at;
    this.end = this.start + span;
    this.fitted = false;
    this.#clamp();
  }

  /** Moves the view by `dt` milliseconds (positive: later). */
  pan(dt: number): void {
    this.start += dt;
    this.end += dt;
    this.fitted = false;
    this.#clamp();
  }

  /** Shows [a, b] (a click on a slice, a selection). */
  show(a: number, b: number): void {
    const span = Math.max(b - a, MIN_SPAN);
    this.start = a - span * 0.1;
    this.end = b + span * 0.1;
    this.fitted = false;
    this.#clamp();
  }

  /** Time at pixel `x` of a track `width` pixels wide, and back. */
  timeAt(x: number, width: number): number {
    return this.start + (x / width) * this.span;
  }
  xOf(t: number, width: number): number {
    return ((t - this.start) / this.span) * width;
  }

  #maxSpan(): number {
    return (this.#hi - this.#lo) * 1.2 + MIN_SPAN;
  }

  #clamp(): void {
    const span = Math.min(this.span, this.#maxSpan());
    const room = (this.#hi - this.#lo) * 0.1;
    const lo = this.#lo - room;
    const hi = this.#hi + room;
    if (this.start < lo) this.start = lo;
    if (this.start + span > hi) this.start = Math.max(lo, hi - span);
    this.end = this.start + span;
  }
}
