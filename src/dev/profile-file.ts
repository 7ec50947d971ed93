// A page's stack counts -> a gzipped pprof profile. Frames name the URLs the dev
// server served; they are shown as paths under the root (`src/queue.ts`) and, where
// the dev server still holds the module's transform source map, at the position in
// the user's source rather than in the code served.

import { SourceMap } from "node:module";
import { gzipSync } from "node:zlib";
import { buildProfile } from "../../runtime/profile.ts";
import type { StacksMessage } from "../../runtime/live/protocol.ts";
import type { StackFrame } from "../../runtime/stacks.ts";

/** `http://localhost:5173/src/a.ts?t=1` -> `src/a.ts`; anything else unchanged. */
export function servedPath(file: string): string {
  const m = /^https?:\/\/[^/]+\/(?:@fs\/)?([^?#]*)/.exec(file);
  return m ? decodeURIComponent(m[1]!) : file;
}

/** The source map the dev server made for a served URL, if it still has one. */
export type MapOf = (url: string) => object | null;

export async function encodeProfile(msg: StacksMessage, mapOf: MapOf = () => null): Promise<Uint8Array> {
  const maps = new Map<string, SourceMap | null>();
  const sourceMapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      let map: SourceMap | null = null;
      try {
        const payload = mapOf(url);
        if (payload) map = new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]);
      } catch {
        map = null; // an unreadable map: keep the served position
      }
      maps.set(url, map);
    }
    return maps.get(url)!;
  };
  const mapFrame = (f: StackFrame): StackFrame => {
    const file = servedPath(f.file);
    const entry = sourceMapOf(f.file)?.findEntry(f.line - 1, f.column - 1) as { originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalLine === undefined) return { ...f, file };
    return { ...f, file, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  };
  const profile = buildProfile(msg.stacks, { mapFrame, eventFrames: true, startWall: msg.startWall, durationMs: msg.durationMs });
  return new Uint8Array(gzipSync(profile.encode()));
}
