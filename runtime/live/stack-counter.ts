// Counts the stacks a page's events fire from, for the pprof profile the dev server
// writes (the page sends raw counts; the server encodes them, so the page never
// loads pprof-format). The page sends what it counted since its last report
// (`take()`) and the server adds them up, so new patterns and reloads lose nothing.
// Bounded like runtime/profile.ts: new stacks beyond the limit are counted as
// dropped. Only observes: failures are counted, never thrown.

import { ProbeGroup, attach, setup, type Tracepoint } from "../tracing.ts";
import { captureStack } from "../stacks.ts";
import type { WireStack } from "./protocol.ts";

export class StackCounter {
  dropped = 0;
  failures = 0;
  readonly startWall = Date.now();
  readonly #start = performance.now();
  readonly #stacks = new Map<string, WireStack>();
  readonly #pg = new ProbeGroup();

  constructor(patterns: readonly string[], readonly maxStacks: number, readonly maxFrames = 32) {
    // One count per event even when several patterns match its tracepoint.
    const owner = new WeakMap<Tracepoint, number>();
    setup(() => {
      patterns.forEach((pattern, i) => {
        const probe = (tp: Tracepoint): void => {
          const o = owner.get(tp);
          if (o === undefined) owner.set(tp, i);
          else if (o !== i) return;
          this.#count(tp, probe);
        };
        attach(pattern, probe, this.#pg);
      });
    });
  }

  get durationMs(): number {
    return performance.now() - this.#start;
  }

  stacks(): WireStack[] {
    return [...this.#stacks.values()];
  }

  /** The stacks counted since the last take, which starts a new count. */
  take(): WireStack[] {
    const out = [...this.#stacks.values()];
    this.#stacks.clear();
    return out;
  }

  get pending(): boolean {
    return this.#stacks.size > 0;
  }

  stop(): void {
    this.#pg.done();
  }

  #count(tp: Tracepoint, probe: Function): void {
    try {
      const event = `${tp.package}:${tp.name}`;
      const frames = captureStack(probe, tp.name, this.maxFrames);
      let key = event;
      for (const f of frames) key += `\n${f.functionName}\t${f.file}\t${f.line}\t${f.column}`;
      const s = this.#stacks.get(key);
      if (s !== undefined) s.count++;
      else if (this.#stacks.size >= this.maxStacks) this.dropped++;
      else this.#stacks.set(key, { event, location: tp.location, frames, count: 1 });
    } catch {
      this.failures++;
    }
  }
}
