// Source maps of Vue's block modules, chained through our rewrite.
//
// @vitejs/plugin-vue compiles a component from the text our transform returned
// and, when it does not inline the script (`lang="ts"` in a build, 6.0:
// canInlineMain), serves the script and the other blocks as modules of their
// own (`App.vue?vue&type=script&setup=true&lang.ts`) from its `load` hook. The
// bundler cannot chain our map there: those maps point into our output, not the
// user's file. So their maps are composed with ours as they are loaded.
import remapping, { type SourceMapInput } from "@jridgewell/remapping";
import { cleanId } from "../ids.ts";

type Map = SourceMapInput & object;

// Our last rewrite of each `.vue` file, by path.
const rewrites = new globalThis.Map<string, Map>();

/** Called with each rewrite of a `.vue` file (and null when one was left as it is). */
export function rememberVueRewrite(id: string, map: object | null): void {
  if (!id.endsWith(".vue")) return;
  if (map) rewrites.set(id, map as Map);
  else rewrites.delete(id);
}

type LoadHandler = (this: unknown, id: string, ...rest: unknown[]) => unknown;
interface PluginLike {
  name?: string;
  load?: LoadHandler | { handler: LoadHandler };
}

/** Wraps the `load` hook of Vite's Vue plugin, if it is there, so block maps lead to the `.vue` file. */
export function chainVueBlockMaps(plugins: readonly object[]): void {
  const vue = (plugins as readonly PluginLike[]).find((p) => p.name === "vite:vue");
  const load = vue?.load;
  if (!vue || !load || (load as { chained?: true }).chained) return;
  const handler = typeof load === "function" ? load : load.handler;
  const wrapped = async function (this: unknown, id: string, ...rest: unknown[]) {
    const result = await handler.call(this, id, ...rest);
    const ours = /[?&]vue\b/.test(id) ? rewrites.get(cleanId(id)) : undefined;
    if (!ours || !result || typeof result !== "object" || !(result as { map?: unknown }).map) return result;
    const { map } = result as { map: Map };
    return { ...result, map: remapping([map, ours], () => null) };
  };
  const chained = { chained: true as const };
  vue.load = typeof load === "function" ? Object.assign(wrapped, chained) : Object.assign({ ...load, handler: wrapped }, chained);
}
