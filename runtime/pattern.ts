// Attach patterns, `package:event` with globs, matched in time linear in the name
// for a given pattern (at most |name|·|pattern| steps, no backtracking): the pattern
// is a small NFA whose set of live states is advanced once per character of the
// name. A regular expression built from the glob would backtrack: `**` as `.*`
// repeated a dozen times took seconds on one name. Shared by attach (tracing.ts),
// the page client, the dev server, the UI and `tstrace watch`. Imports nothing.

const LITERAL = 0;
/** `*`: any run of characters except `/` and `:` */
const STAR = 1;
/** `**` (or any longer run of stars): any run at all */
const GLOBSTAR = 2;

/** A tracepoint as far as a pattern sees it. */
export interface Named {
  readonly package: string;
  readonly name: string;
}

export type Matcher = (tp: Named) => boolean;

const isSeparator = (c: number) => c === 0x2f /* / */ || c === 0x3a; /* : */

/**
 * `*` matches within a path segment and an event name, `**` across `/`; a pattern
 * without `:` means every event of the matching packages. Throws a TypeError for an
 * empty or non-string pattern (attach turns it into a TracingError).
 */
export function compilePattern(pattern: string): Matcher {
  if (typeof pattern !== "string" || pattern === "") throw new TypeError("pattern must be a non-empty string");
  const full = pattern.includes(":") ? pattern : `${pattern}:*`;
  const kinds: number[] = [];
  const codes: number[] = [];
  for (let i = 0; i < full.length; ) {
    if (full.charCodeAt(i) !== 0x2a /* * */) {
      kinds.push(LITERAL), codes.push(full.charCodeAt(i++));
      continue;
    }
    let run = 0;
    while (full.charCodeAt(i) === 0x2a) run++, i++;
    kinds.push(run === 1 ? STAR : GLOBSTAR), codes.push(0);
  }
  // Without stars, a name matches by equality.
  if (!kinds.includes(STAR) && !kinds.includes(GLOBSTAR)) return (tp) => tp.package.length + 1 + tp.name.length === full.length && `${tp.package}:${tp.name}` === full;
  const m = kinds.length;
  // Live states are pattern positions (tokens matched so far); `mark` holds the step
  // each was last added in, so a set needs no clearing.
  const mark = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  let next = new Int32Array(m + 1);
  let step = 0;
  return (tp) => {
    const text = `${tp.package}:${tp.name}`;
    let n: number;
    const add = (set: Int32Array, count: number, s: number): number => {
      // A star may match nothing: adding the state before it adds the one after too.
      while (mark[s] !== step) {
        mark[s] = step;
        set[count++] = s;
        if (s === m || kinds[s] === LITERAL) break;
        s++;
      }
      return count;
    };
    // The step counter stays an int32 (as `mark` stores it).
    if (step > 0x3fff0000 - text.length) mark.fill(0), (step = 0);
    step++;
    n = add(cur, 0, 0);
    for (let i = 0; i < text.length && n > 0; i++) {
      const c = text.charCodeAt(i);
      step++;
      let k = 0;
      for (let j = 0; j < n; j++) {
        const s = cur[j]!;
        if (s === m) continue;
        const kind = kinds[s]!;
        if (kind === LITERAL) {
          if (codes[s] === c) k = add(next, k, s + 1);
        } else if (kind === GLOBSTAR || !isSeparator(c)) k = add(next, k, s);
      }
      const t = cur;
      cur = next;
      next = t;
      n = k;
    }
    for (let j = 0; j < n; j++) if (cur[j] === m) return true;
    return false;
  };
}

/** A matcher for any of several patterns. */
export function compilePatterns(patterns: readonly string[]): Matcher {
  const all = patterns.map(compilePattern);
  return (tp) => all.some((m) => m(tp));
}
