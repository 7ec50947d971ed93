// One error shape for everything a user wrote wrong: `file:line:column: message`.

import { escapeText } from "./dev/escape.ts";

export const NAME = "unplugin-tracing";

/** Characters of a reason kept: it may quote a whole directive line. */
const MAX_REASON = 1000;

/** A 1-based line and column, as editors and `file:line:column` show them. */
export interface Position {
  line: number;
  column: number;
}

/** A user error at a place in a file. */
export class PositionedError extends Error {
  readonly file: string;
  readonly pos: Position;
  readonly reason: string;

  constructor(file: string, pos: Position, reason: string) {
    // The reason quotes the user's text: its control characters never reach a terminal as they are.
    reason = escapeText(reason, MAX_REASON);
    super(`${escapeText(file)}:${pos.line}:${pos.column}: ${reason}`);
    this.name = "TraceDirectiveError";
    this.file = file;
    this.pos = pos;
    this.reason = reason;
  }
}

/**
 * Maps UTF-16 offsets of one text to lines and columns as editors show them:
 * lines end at \n, \r\n or a lone \r; columns count UTF-16 units, as JS does, and
 * a byte-order mark at the start takes no column.
 */
export function createLineMap(text: string): (offset: number) => Position {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(0, offset - starts[lo]!) + 1 };
  };
}
