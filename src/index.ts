// The unplugin factory: wires bundler hooks to the context, nothing else.
import { resolve } from "node:path";
import { createUnplugin, type UnpluginFactory } from "unplugin";
import { bundlerResolveOf } from "./bundler-resolve.ts";
import { createContext } from "./context.ts";
import { PKG_PREFIX, REQUEST_PREFIX, RUNTIME_ENTRY, runtimeEntryFile } from "./ids.ts";
import { devServerHooks } from "./dev/index.ts";
import { NAME, PositionedError } from "./errors.ts";
import type { Options } from "./options.ts";
import { dtsReachWarning } from "./tsconfig-reach.ts";

export type { Options } from "./options.ts";

const SOURCE_ID = /\.[cm]?[jt]sx?(?:$|\?)/;
const OUR_IDS = new RegExp(`^(?:trace:|\0trace)|${RUNTIME_ENTRY.source}`);

/** Reports a user error through the bundler's own channel, so it shows the position. */
function fail(hookThis: any, err: unknown): never {
  if (err instanceof PositionedError) {
    hookThis.error({ message: err.message, id: err.file, loc: { line: err.pos.line, column: err.pos.column - 1 } });
  } else if (err instanceof Error) {
    hookThis.error(err.message);
  }
  throw err;
}

/**
 * esbuild locates an error a plugin throws at the plugin's own stack frame, and
 * unplugin (3.7, getEsbuildPlugin in dist/index.mjs) hands `this.error` to esbuild
 * only when the hook returns. So for esbuild a positioned error is reported with
 * the user's file and the hook returns; the build fails all the same.
 */
function reportedOnReturn(hookThis: any, err: unknown, root: string): boolean {
  if (!(err instanceof PositionedError) || hookThis.getNativeBuildContext?.()?.framework !== "esbuild") return false;
  hookThis.error({ message: err.message, loc: { file: resolve(root, err.file), line: err.pos.line, column: err.pos.column - 1 } });
  return true;
}

/**
 * webpack and Rspack take `trace:` for a URL scheme and fail before any resolver
 * plugin runs (UnhandledSchemeError): rename such requests first.
 */
function renameTraceRequests(compiler: {
  hooks: { normalModuleFactory: { tap(name: string, fn: (nmf: { hooks: { beforeResolve: { tap(name: string, fn: (data: { request: string }) => void): void } } }) => void): void } };
}): void {
  compiler.hooks.normalModuleFactory.tap(NAME, (nmf) => {
    nmf.hooks.beforeResolve.tap(NAME, (data) => {
      if (data.request.startsWith("trace:")) data.request = REQUEST_PREFIX + data.request.slice(6);
    });
  });
}

export const unpluginFactory: UnpluginFactory<Options | undefined> = (options) => {
  const ctx = createContext(options);
  const live = devServerHooks(ctx.options);
  let dts: Promise<unknown> = Promise.resolve();
  return {
    name: NAME,
    enforce: "pre",

    // The declaration file: written while the build starts (not awaited, so the
    // bundler's work goes on), kept current while watching (see transform), and
    // written again at the end only if directives changed meanwhile.
    buildStart() {
      // Rollup-like bundlers say whether they watch; for the others, assume they do.
      ctx.setWatching((this as { meta?: { watchMode?: boolean } }).meta?.watchMode !== false);
      dts = ctx.writeDts(bundlerResolveOf(this)).catch(() => []);
    },
    async buildEnd() {
      await dts;
      await ctx.flushDts(bundlerResolveOf(this));
    },

    resolveId: {
      filter: { id: OUR_IDS },
      async handler(source, importer) {
        // esbuild would put our answer in a namespace of its own, where relative
        // imports between runtime files make second copies; its setup below answers.
        if (RUNTIME_ENTRY.test(source) && this.getNativeBuildContext?.()?.framework === "esbuild") return null;
        try {
          return await ctx.resolveId(source, importer, bundlerResolveOf(this));
        } catch (err) {
          fail(this, err);
        }
      },
    },

    load: {
      filter: { id: /^\0trace/ },
      async handler(id) {
        try {
          const loaded = await ctx.load(id, bundlerResolveOf(this));
          if (!loaded) return null;
          for (const f of loaded.watchFiles) this.addWatchFile(f);
          return { code: loaded.code, map: null };
        } catch (err) {
          if (reportedOnReturn(this, err, ctx.root)) return { code: "", map: null };
          fail(this, err);
        }
      },
    },

    transform: {
      filter: { id: { include: SOURCE_ID }, code: { include: "trace" } },
      async handler(code, id) {
        try {
          const { result, watchFiles } = await ctx.transform(code, id, bundlerResolveOf(this));
          for (const f of watchFiles) this.addWatchFile(f);
          return result;
        } catch (err) {
          if (reportedOnReturn(this, err, ctx.root)) return null;
          fail(this, err);
        }
      },
    },

    esbuild: {
      setup(build) {
        build.onResolve({ filter: RUNTIME_ENTRY }, (args) => ({ path: runtimeEntryFile(args.path)! }));
      },
    },

    vite: {
      config() {
        // The optimiser neither resolves `trace:` nor runs our transform.
        return { optimizeDeps: { exclude: ["unplugin-tracing"] } };
      },
      configResolved(config) {
        ctx.setRoot(config.root);
        const unseen = ctx.options.dts === false ? null : dtsReachWarning(ctx.root, resolve(ctx.root, ctx.options.dts));
        if (unseen) config.logger.warn(`[${NAME}] ${unseen}`);
      },
      configureServer(server) {
        // A module new to a package adds events its virtual module must define:
        // reload that module (Vite would not, as the new file is none of its watched files).
        ctx.onNewMember((dir) => {
          const mod = server.moduleGraph.getModuleById(PKG_PREFIX + dir);
          if (mod) void server.reloadModule(mod);
        });
        live.configureServer(server);
      },
      // Live probing in the dev server (src/dev/).
      transformIndexHtml: live.transformIndexHtml,
    },

    webpack: renameTraceRequests,
    rspack: renameTraceRequests,
  };
};

export const unplugin = /* #__PURE__ */ createUnplugin(unpluginFactory);
export default unplugin;
