// Which tracepoints a pattern selects, so the UI can say when one selects nothing
// yet: runtime attach()'s own linear-time matcher (served to the UI as
// runtime/pattern.js), over the `package:event` names the UI lists.
import { compilePattern } from "../../../runtime/pattern.ts";

/** A matcher of `package:event` names; the event starts after the last `:` (package ids hold none). */
export function matcher(pattern: string): (name: string) => boolean {
  const matches = compilePattern(pattern);
  return (name) => {
    const at = name.lastIndexOf(":");
    return matches({ package: name.slice(0, at), name: name.slice(at + 1) });
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
