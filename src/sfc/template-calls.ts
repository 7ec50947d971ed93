// A trace call in a component's template or markup: only script blocks are
// rewritten, so `@click="traceClick(1)"` would fail when clicked. Found here to
// be a build warning instead.
import { componentScripts } from "./component.ts";

const CALL = /\btrace[\p{ID_Continue}$]*(?=\s*\()/gu;

/** The first call of one of `events` outside the component's script blocks: its name and offset, or null. */
export function templateTraceCall(path: string, code: string, events: ReadonlySet<string>): { name: string; at: number } | null {
  if (events.size === 0) return null;
  const { blocks, unread } = componentScripts(path, code);
  const scripts = [...blocks, ...unread].sort((a, b) => a.start - b.start);
  // The text between the script blocks: template, markup, styles.
  const regions: Array<[number, number]> = [];
  let from = 0;
  for (const b of scripts) {
    regions.push([from, b.start]);
    from = b.end;
  }
  regions.push([from, code.length]);
  for (const [start, end] of regions) {
    const text = code.slice(start, end);
    CALL.lastIndex = 0;
    for (let m = CALL.exec(text); m; m = CALL.exec(text)) if (events.has(m[0])) return { name: m[0], at: start + m.index };
  }
  return null;
}
