// Another plugin ran before ours (Rollup and esbuild ignore `enforce: "pre"`), and
// the build would succeed, then fail at run time with `traceX is not defined`.
// Seen from the data, whichever plugin it was: the text reaching our transform
// has lost the directives the file on disk holds (a TypeScript or comment-
// stripping transform), or, in esbuild, a module with tracing never reached our
// transform at all (another plugin's onLoad answered first).
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { mayHaveDirectives, scanDirectives } from "../directives.ts";
import { createLineMap, PositionedError } from "../errors.ts";
import type { ContextState } from "./state.ts";

const LIST_FIRST = 'list tracing() first in plugins (Rollup and esbuild ignore enforce: "pre")';

/** The first directive of a module's text, if it has one. */
function firstDirective(state: Pick<ContextState, "store">, path: string, text: string) {
  if (!mayHaveDirectives(text)) return null;
  const d = scanDirectives(path, state.store.display(path), text);
  const all = [...d.events, ...d.imports, ...d.errors];
  return all.length === 0 ? null : all.reduce((a, b) => (b.pos.line < a.pos.line ? b : a));
}

export function createPluginOrderCheck(state: Pick<ContextState, "store">) {
  return {
    /** Throws when `code` has lost the directives the file on disk holds. */
    checkIncoming(path: string, code: string): void {
      if (mayHaveDirectives(code)) return;
      let disk: string;
      try {
        // Most text reaching us is the file as it is on disk: a stat says so without reading it.
        if (statSync(path).size === Buffer.byteLength(code)) return;
        disk = readFileSync(path, "utf8");
      } catch {
        return; // not a file on disk: nothing to compare with
      }
      if (disk === code) return;
      const first = firstDirective(state, path, disk);
      if (!first) return;
      throw new PositionedError(
        state.store.display(path),
        first.pos,
        `the text that reaches unplugin-tracing has lost this module's //trace: directives: another plugin (TypeScript, Babel, esbuild, a minifier) transformed it first; ${LIST_FIRST}`,
      );
    },

    /** esbuild: the first input module with tracing that our transform never saw. */
    findUnseen(inputs: Iterable<string>, seen: ReadonlySet<string>): PositionedError | null {
      for (const path of inputs) {
        if (seen.has(path)) continue;
        let text: string;
        try {
          text = readFileSync(path, "utf8");
        } catch {
          continue;
        }
        if (!text.includes("trace")) continue;
        let pos = firstDirective(state, path, text)?.pos;
        if (!pos) {
          // No directive of its own: does it use events of its package?
          const names = state.store.get(dirname(path)).events.map((e) => e.name);
          const at = names.length === 0 ? -1 : text.search(new RegExp(`\\b(?:${names.join("|")})\\b`));
          if (at === -1) continue;
          pos = createLineMap(text)(at);
        }
        return new PositionedError(
          state.store.display(path),
          pos,
          `this module reached the bundle without passing through unplugin-tracing: another plugin listed before it loaded the file (its onLoad answered first); ${LIST_FIRST}`,
        );
      }
      return null;
    },
  };
}
