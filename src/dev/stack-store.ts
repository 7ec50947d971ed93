// A page's stack counts as the dev server keeps them: the page sends what it counted
// since its last report, the store adds it up, across new patterns and reloads, so
// a profile covers the whole recording. Bounded in distinct stacks and in bytes.

import type { WireStack } from "../../runtime/live/protocol.ts";

export class StackStore {
  #stacks = new Map<string, WireStack>();
  bytes = 0;
  /** Samples of new stacks refused because the store was full. */
  dropped = 0;
  /** Samples counted so far. */
  samples = 0;
  /** When counting began (ms since the epoch), or 0 before the first sample. */
  startWall = 0;

  constructor(
    readonly maxStacks: number,
    readonly maxBytes: number,
  ) {}

  add(stacks: readonly WireStack[], startWall: number): void {
    if (this.startWall === 0 || (startWall > 0 && startWall < this.startWall)) this.startWall = startWall;
    for (const s of stacks) {
      let key = s.event;
      for (const f of s.frames) key += `\n${f.functionName}\t${f.file}\t${f.line}\t${f.column}`;
      const had = this.#stacks.get(key);
      if (had !== undefined) {
        had.count += s.count;
        this.samples += s.count;
        continue;
      }
      const bytes = key.length + s.location.length + 64;
      if (this.#stacks.size >= this.maxStacks || this.bytes + bytes > this.maxBytes) {
        this.dropped += s.count;
        continue;
      }
      this.bytes += bytes;
      this.#stacks.set(key, { event: s.event, location: s.location, frames: s.frames, count: s.count });
      this.samples += s.count;
    }
  }

  stacks(): WireStack[] {
    return [...this.#stacks.values()];
  }

  clear(): void {
    this.#stacks.clear();
    this.bytes = this.dropped = this.samples = this.startWall = 0;
  }
}
