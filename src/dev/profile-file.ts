// A page's stack counts -> a gzipped pprof profile. Frames name the URLs the dev
// server served; they are shown as paths under the root (`src/queue.ts`) and keep
// the positions of the served code.

import { gzipSync } from "node:zlib";
import { buildProfile } from "../../runtime/profile.ts";
import type { StacksMessage } from "../../runtime/live/protocol.ts";

/** `http://localhost:5173/src/a.ts?t=1` -> `src/a.ts`; anything else unchanged. */
export function servedPath(file: string): string {
  const m = /^https?:\/\/[^/]+\/(?:@fs\/)?([^?#]*)/.exec(file);
  return m ? decodeURIComponent(m[1]!) : file;
}

export async function encodeProfile(msg: StacksMessage): Promise<Uint8Array> {
  const profile = buildProfile(msg.stacks, {
    mapFrame: (f) => ({ ...f, file: servedPath(f.file) }),
    eventFrames: true,
    startWall: msg.startWall,
    durationMs: msg.durationMs,
  });
  return new Uint8Array(gzipSync(profile.encode()));
}
