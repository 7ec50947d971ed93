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
