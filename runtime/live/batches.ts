// What a live target (a page, or the dev server's own SSR code) sends of its recorder
// on each flush: the events recorded since the last one, moved out of the recorder
// and cut into batches the server accepts.
import type { Recorder } from "../recorder.ts";
import { LIMITS } from "./limits.ts";
import type { WireEvent } from "./protocol.ts";

export interface Taken {
  /** Batches of at most LIMITS.maxBatch events, in order; none when nothing was recorded. */
  batches: WireEvent[][];
  /** Dropped and failed since the last flush. */
  dropped: number;
  failures: number;
}

/** Takes what the recorder holds (it keeps recording) as wire batches. */
export function takeBatches(rec: Recorder): Taken {
  const recorded = rec.events();
  const taken: Taken = { batches: [], dropped: rec.dropped, failures: rec.failures };
  rec.clear();
  for (let i = 0; i < recorded.length; i += LIMITS.maxBatch) {
    taken.batches.push(
      recorded.slice(i, i + LIMITS.maxBatch).map((e) => ({ time: e.time, package: e.package, name: e.name, args: e.args, task: { id: e.task.id, name: e.task.name } })),
    );
  }
  return taken;
}
