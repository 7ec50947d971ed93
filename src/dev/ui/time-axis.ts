// The timeline's axis: tick positions at round steps (1, 2 or 5 times a power of
// ten, in milliseconds) so labels never crowd, and their labels in the step's unit.

export interface Ticks {
  /** Milliseconds between two ticks. */
  step: number;
  /** Tick times in [start, end], ascending. */
  times: number[];
}

/** Ticks for the span [start, end] drawn over `width` pixels, at least `spacing` pixels apart. */
export function ticks(start: number, end: number, width: number, spacing = 90): Ticks {
  const span = Math.max(end - start, 1e-6);
  const want = (span * spacing) / Math.max(width, 1);
  let step = 10 ** Math.floor(Math.log10(want));
  for (const m of [1, 2, 5, 10]) {
    if (step * m >= want) {
      step *= m;
      break;
    }
  }
  const times: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end && times.length < 1000; t += step) times.push(t);
  return { step, times };
}

/** `t` milliseconds as a label with the precision `step` needs: `250 µs`, `12.5 ms`, `1.25 s`. */
export function formatSpan(t: number, step: number): string {
  const abs = Math.abs(step);
  if (abs < 0.1) return `${trim(t * 1000, decimals(abs * 1000))} µs`;
  if (abs < 1000) return `${trim(t, decimals(abs))} ms`;
  return `${trim(t / 1000, decimals(abs / 1000))} s`;
}

/** A duration with three significant digits: `820 µs`, `12.4 ms`, `2.31 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toPrecision(3).replace(/\.?0+$/, "")} µs`;
  if (ms < 1000) return `${ms.toPrecision(3).replace(/\.?0+$/, "")} ms`;
  return `${(ms / 1000).toPrecision(3).replace(/\.?0+$/, "")} s`;
}

function decimals(step: number): number {
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

function trim(v: number, d: number): string {
  return (Math.abs(v) < 1e-9 ? 0 : v).toFixed(d);
}
