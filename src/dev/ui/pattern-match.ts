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
