// What a page or a viewer sends never reaches a terminal or a log as it is: control
// characters (ESC sequences that clear the screen, a newline that forges a `[vite]`
// line, C1 codes, bidirectional overrides) are written as `\u001b`-style escapes,
// and long texts are cut. The escapes are valid inside JSON strings too, so JSON
// lines stay parseable.

import { LIMITS } from "../../runtime/live/limits.ts";

const UNSAFE = /[\p{Cc}\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `text` with every control character escaped, cut at `max` characters (before escaping). */
export function escapeText(text: string, max: number = LIMITS.maxLoggedText): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
  return cut.replace(UNSAFE, hex);
}

/** One line of output: control characters escaped, nothing cut (for event lines). */
export function escapeLine(text: string): string {
  return text.replace(UNSAFE, hex);
}
