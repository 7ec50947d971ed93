//trace:event traceIdle(i: number, s: number)
//trace:event traceLoad(i: number)
// The loops of the attach bench (bench/attach.mjs): an idle trace call against the
// same loop without it, measured before a `tstrace watch --pid` attaches and after
// it detached; and a paced stream of events while it is attached.

export let sink = 0;

export function baseline(n: number): number {
  for (let i = 0; i < n; i++) sink = (sink ^ i) & 0x3fffffff;
  return sink;
}

export function idle(n: number): number {
  for (let i = 0; i < n; i++) {
    traceIdle(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

/** Fires `rate` events a second for `ms`, a slice on every turn of the loop. */
export function load(ms: number, rate: number): Promise<number> {
  return new Promise((done) => {
    const t0 = performance.now();
    let fired = 0;
    const turn = () => {
      const now = performance.now();
      const want = Math.floor(((Math.min(now, t0 + ms) - t0) * rate) / 1000);
      for (; fired < want; fired++) traceLoad(fired);
      if (now < t0 + ms) setImmediate(turn);
      else done(fired);
    };
    turn();
  });
}
