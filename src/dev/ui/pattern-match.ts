// Which tracepoints a pattern selects, so the UI can say when one selects nothing
// yet. The same meaning as runtime attach(): `*` is any run of characters other than
// `/` and `:`, `**` any run at all, a pattern without `:` means `pattern:*`. Matched
// by stepping a set of positions (no backtracking): time linear in the name.

type Step = { kind: "char"; c: string } | { kind: "star"; any: boolean };

function compile(pattern: string): Step[] {
  const full = pattern.includes(":") ? pattern : `${pattern}:*`;
  const steps: Step[] = [];
  for (let i = 0; i < full.length; i++) {
    if (full[i] !== "*") steps.push({ kind: "char", c: full[i]! });
    else if (full[i + 1] === "*") steps.push({ kind: "star", any: true }), i++;
    else steps.push({ kind: "star", any: false });
  }
  return steps;
}

export function matcher(pattern: string): (name: string) => boolean {
  const steps = compile(pattern);
  const n = steps.length;
  return (name) => {
    let cur = new Uint8Array(n + 1);
    const close = (set: Uint8Array) => {
      for (let i = 0; i < n; i++) if (set[i] && steps[i]!.kind === "star") set[i + 1] = 1;
    };
    cur[0] = 1;
    close(cur);
    for (let j = 0; j < name.length; j++) {
      const ch = name[j]!;
      const next = new Uint8Array(n + 1);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (!cur[i]) continue;
        const s = steps[i]!;
        if (s.kind === "char") {
          if (s.c === ch) (next[i + 1] = 1), (any = true);
        } else if (s.any || (ch !== "/" && ch !== ":")) (next[i] = 1), (any = true);
      }
      if (!any) return false;
      close(next);
      cur = next;
    }
    return cur[n] === 1;
  };
}

/** How many of `names` (`package:event`) the pattern selects. */
export function countMatches(pattern: string, names: readonly string[]): number {
  const m = matcher(pattern);
  let k = 0;
  for (const x of names) if (m(x)) k++;
  return k;
}

/**
 * For a pattern that selects none of `names` only because a `*` stops at `/`
 * (`*:traceJob*` against `src/jobs:traceJobStart`): the `**` pattern that would, and how
 * many it selects; else null. Packages in a Vite project are `src/...`, so a newcomer's
 * first `*:` pattern is often this one.
 */
export function globstarHint(pattern: string, names: readonly string[]): { pattern: string; count: number } | null {
  // Only the package part has `/` to cross; event names have none.
  const colon = pattern.indexOf(":");
  const pkg = colon < 0 ? pattern : pattern.slice(0, colon);
  if (!/(^|[^*])\*($|[^*])/.test(pkg) || countMatches(pattern, names) > 0) return null;
  const wider = pkg.replace(/\*+/g, (run) => (run.length === 1 ? "**" : run)) + (colon < 0 ? "" : pattern.slice(colon));
  const count = countMatches(wider, names);
  return count > 0 ? { pattern: wider, count } : null;
}
