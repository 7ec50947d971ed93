// Timing helpers shared by the micro and churn processes. Plain JS: esbuild
// bundles it next to the code under test.
//
// Method: a sample is one call of a loop function over `n` iterations, timed with
// process.hrtime.bigint() (its own cost, ~50 ns, is noise at n >= 1e5). Cases of a
// group run round-robin in a shuffled order each round, so load from other
// processes hits every case alike; ratios and differences are taken per round
// against the group's reference, then the median over rounds is reported.

import { PerformanceObserver } from "node:perf_hooks";

/** Everything returned by a measured function is xored in here. */
export let keep = 0;

let natives = null;
try {
  // Only with --allow-natives-syntax; the bench runs its children with it.
  natives = {
    status: new Function("f", "return %GetOptimizationStatus(f)"),
  };
} catch {
  natives = null;
}

/** V8's optimisation tier of `fn` (bits of %GetOptimizationStatus, V8 11.x). */
export function tier(fn) {
  if (!natives) return "?";
  const s = natives.status(fn);
  if (s & (1 << 6)) return "turbofan";
  if (s & (1 << 5)) return "maglev";
  if (s & (1 << 15)) return "sparkplug";
  if (s & (1 << 7)) return "interpreted";
  return `status=${s}`;
}

export function median(xs) {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

export function quantile(xs, q) {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.max(0, Math.round(q * (a.length - 1))))];
}

/** ns per iteration of one call `fn(n)`. Awaits only when `fn` is async. */
export function sample(fn, n) {
  const t0 = process.hrtime.bigint();
  const r = fn(n);
  if (r instanceof Promise) {
    return r.then((v) => {
      const t1 = process.hrtime.bigint();
      keep ^= v;
      return Number(t1 - t0) / n;
    });
  }
  const t1 = process.hrtime.bigint();
  keep ^= r;
  return Number(t1 - t0) / n;
}

function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * groups: [{ name, n, ref, cases: [{ id, label, fn }] }]. Returns per case the
 * samples (ns/op), and per round the ratio and difference to the group's `ref`.
 */
export async function runGroups(groups, { warmup, rounds }) {
  const out = {};
  for (const g of groups) for (const c of g.cases) out[c.id] = { group: g.name, label: c.label, ns: [], ratio: [], diff: [] };
  for (let r = -warmup; r < rounds; r++) {
    for (const g of groups) {
      const got = {};
      for (const c of shuffle([...g.cases])) {
        let t = sample(c.fn, g.n);
        if (t instanceof Promise) t = await t;
        got[c.id] = t;
      }
      if (r < 0) continue;
      for (const c of g.cases) {
        const o = out[c.id];
        o.ns.push(got[c.id]);
        o.ratio.push(got[c.id] / got[g.ref]);
        o.diff.push(got[c.id] - got[g.ref]);
      }
    }
  }
  const res = {};
  for (const g of groups) {
    for (const c of g.cases) {
      const o = out[c.id];
      res[c.id] = {
        group: g.name,
        label: c.label,
        ref: g.ref,
        n: g.n,
        samples: o.ns.length,
        ns: median(o.ns),
        p10: quantile(o.ns, 0.1),
        p90: quantile(o.ns, 0.9),
        ratio: median(o.ratio),
        diff: median(o.diff),
        tier: tier(c.fn),
      };
    }
  }
  return res;
}

/** GC events while `fn(n)` runs once: 0 means it allocated less than the young generation holds. */
export async function gcDuring(fn, n) {
  let count = 0;
  const obs = new PerformanceObserver((list) => (count += list.getEntries().length));
  obs.observe({ entryTypes: ["gc"] });
  await new Promise((r) => setTimeout(r, 20));
  count = 0;
  fn(n);
  await new Promise((r) => setTimeout(r, 20));
  obs.disconnect();
  return count;
}
