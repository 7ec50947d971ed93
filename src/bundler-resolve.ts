// The bundler's own resolver, for `trace:` specs that name aliases, workspace or
// npm packages. Rollup-like bundlers give `this.resolve`; esbuild and webpack-like
// bundlers are reached through unplugin's native build context.
import { dirname } from "node:path";
import type { BundlerResolve } from "./resolve.ts";

export function bundlerResolveOf(hookThis: any): BundlerResolve | null {
  const resolve = nativeResolveOf(hookThis);
  // A resolver that fails (esbuild's after the build ended, say) found nothing.
  return resolve && ((spec, importer) => resolve(spec, importer).catch(() => null));
}

function nativeResolveOf(hookThis: any): BundlerResolve | null {
  if (typeof hookThis?.resolve === "function") {
    return async (spec, importer) => {
      const r = await hookThis.resolve(spec, importer, { skipSelf: true });
      return r && !r.external ? String(r.id).replace(/[?#].*$/, "") : null;
    };
  }
  const native = hookThis?.getNativeBuildContext?.();
  if (native?.framework === "esbuild") {
    return async (spec, importer) => {
      const r = await native.build.resolve(spec, { resolveDir: dirname(importer), kind: "import-statement", importer });
      return r.errors.length === 0 && r.path && !r.external ? r.path : null;
    };
  }
  if (native?.framework === "webpack" || native?.framework === "rspack") {
    const resolver = native.compiler.resolverFactory.get("normal", { dependencyType: "esm" });
    return (spec, importer) =>
      new Promise((done) => {
        resolver.resolve({}, dirname(importer), spec, {}, (err: unknown, file: string | false | undefined) => done(err || !file ? null : file));
      });
  }
  return null;
}
