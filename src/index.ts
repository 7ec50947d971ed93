// The unplugin factory: wires bundler hooks to the context, nothing else.
import { resolve } from "node:path";
import { createUnplugin, type UnpluginFactory } from "unplugin";
import { bundlerResolveOf } from "./bundler-resolve.ts";
import { createContext } from "./context.ts";
import { checkOutputImports, checkWebpackExternals, esbuildSetup } from "./build-shapes.ts";
import { cleanId, isVirtualId, packageVirtualId, REQUEST_PREFIX, RUNTIME_ENTRY, VIRTUAL_ID } from "./ids.ts";
import { devServerHooks } from "./dev/index.ts";
import { NAME, PositionedError } from "./errors.ts";
import { isExcluded, type Options } from "./options.ts";
import { createUnreadWarnings } from "./sfc/unread.ts";
import { chainVueBlockMaps, rememberVueRewrite } from "./sfc/vue-maps.ts";
import { virtualSourceMap } from "./virtual.ts";
import { dtsReachWarning } from "./tsconfig-reach.ts";

export type { Options } from "./options.ts";

// Every module but virtual ones and a component's sub-requests (`App.vue?vue&type=style`):
// modules of kinds the plugin does not read are looked at for directives to warn about.
const NOT_SOURCE_ID = [/^\0/, /^trace-(?:pkg|import|lib|request):/, /\.(?:vue|svelte)\?/];
const OUR_IDS = new RegExp(`^\0?trace(?:-pkg|-import|-lib|-request)?:|${RUNTIME_ENTRY.source}`);

/** Reports a user error through the bundler's own channel, so it shows the position. */
function fail(hookThis: any, err: unknown): never {
  if (err instanceof PositionedError) {
    hookThis.error({ message: err.message, id: err.file, loc: { line: err.pos.line, column: err.pos.column - 1 } });
  } else if (err instanceof Error) {
    hookThis.error(err.message);
  }
  throw err;
}

/** A warning through the bundler where its hook context can give one (Rollup and Vite do in buildEnd). */
function warn(hookThis: any, message: string): void {
  if (typeof hookThis.warn === "function") hookThis.warn(message);
  else console.warn(`${NAME}: ${message}`);
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
 * webpack and Rspack take `trace:` (and our virtual ids, `trace-pkg:`...) for a URL
 * scheme and fail before any resolver plugin runs (UnhandledSchemeError): rename
 * such requests first.
 */
function renameTraceRequests(compiler: {
  hooks: { normalModuleFactory: { tap(name: string, fn: (nmf: { hooks: { beforeResolve: { tap(name: string, fn: (data: { request: string }) => void): void } } }) => void): void } };
}): void {
  compiler.hooks.normalModuleFactory.tap(NAME, (nmf) => {
    nmf.hooks.beforeResolve.tap(NAME, (data) => {
      if (data.request.startsWith("trace:")) data.request = REQUEST_PREFIX + data.request.slice(6);
      else if (isVirtualId(data.request)) data.request = `\0${data.request}`;
    });
  });
}

export const unpluginFactory: UnpluginFactory<Options | undefined> = (options, meta) => {
  const rollupLike = meta.framework === "vite" || meta.framework === "rollup" || meta.framework === "rolldown";
  /** esbuild: the modules our transform saw in this build (see esbuildSetup). */
  const esbuildSeen = new Set<string>();
  const ctx = createContext(options);
  const live = devServerHooks(ctx.options);
  let dts: Promise<unknown> = Promise.resolve();
  const unread = createUnreadWarnings(() => ctx.root, (path) => isExcluded(ctx.options, path), (dir) => new Set(ctx.store.get(dir).events.map((e) => e.name)));
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
      for (const w of unread.fromScan()) warn(this, w);
    },

    resolveId: {
      filter: { id: OUR_IDS },
      async handler(source, importer) {
        // esbuild would put our answer in a namespace of its own, where relative
        // imports between runtime files make second copies; its setup (build-shapes.ts) answers.
        if (RUNTIME_ENTRY.test(source) && this.getNativeBuildContext?.()?.framework === "esbuild") return null;
        try {
          return await ctx.resolveId(source, importer, bundlerResolveOf(this));
        } catch (err) {
          fail(this, err);
        }
      },
    },

    load: {
      filter: { id: VIRTUAL_ID },
      async handler(id) {
        try {
          const loaded = await ctx.load(id, bundlerResolveOf(this));
          if (!loaded) return null;
          for (const f of loaded.watchFiles) this.addWatchFile(f);
          return { code: loaded.code, map: rollupLike ? virtualSourceMap(ctx.root, id, loaded.code) : null };
        } catch (err) {
          if (reportedOnReturn(this, err, ctx.root)) return { code: "", map: null };
          fail(this, err);
        }
      },
    },

    transform: {
      filter: { id: { exclude: NOT_SOURCE_ID }, code: { include: "trace" } },
      async handler(code, id) {
        if (meta.framework === "esbuild") esbuildSeen.add(cleanId(id));
        for (const w of unread.check(id, code)) this.warn(w);
        try {
          const { result, watchFiles } = await ctx.transform(code, id, bundlerResolveOf(this));
          for (const f of watchFiles) this.addWatchFile(f);
          rememberVueRewrite(id, result?.map ?? null);
          return result;
        } catch (err) {
          if (reportedOnReturn(this, err, ctx.root)) return null;
          fail(this, err);
        }
      },
    },

    esbuild: {
      setup(build) {
        esbuildSetup(build, { start: () => esbuildSeen.clear(), unseen: (files) => ctx.findUnseen(files, esbuildSeen) });
      },
    },
    rollup: {
      generateBundle(_, bundle) {
        checkOutputImports(this, bundle, ctx.root);
      },
    },
    rolldown: {
      generateBundle(_, bundle) {
        checkOutputImports(this, bundle as any, ctx.root);
      },
    },

    vite: {
      config() {
        // The optimiser neither resolves `trace:` nor runs our transform.
        return { optimizeDeps: { exclude: ["unplugin-tracing"] } };
      },
      configResolved(config) {
        ctx.setRoot(config.root);
        live.configResolved(config);
        chainVueBlockMaps(config.plugins);
        const unseen = ctx.options.dts === false ? null : dtsReachWarning(ctx.root, resolve(ctx.root, ctx.options.dts));
        if (unseen) config.logger.warn(`[${NAME}] ${unseen}`);
      },
      configureServer(server) {
        // A module new to a package adds events its virtual module must define:
        // reload that module (Vite would not, as the new file is none of its watched files).
        ctx.onNewMember((dir) => {
          const mod = server.moduleGraph.getModuleById(packageVirtualId(ctx.root, dir));
          if (mod) void server.reloadModule(mod);
        });
        live.configureServer(server);
      },
      // Live probing in the dev server (src/dev/).
      transformIndexHtml: live.transformIndexHtml,
      generateBundle(_, bundle) {
        checkOutputImports(this, bundle as any, ctx.root);
      },
    },

    webpack(compiler) {
      renameTraceRequests(compiler);
      checkWebpackExternals(compiler as any);
    },
    rspack(compiler) {
      renameTraceRequests(compiler as any);
      checkWebpackExternals(compiler as any);
    },
  };
};

export const unplugin = /* #__PURE__ */ createUnplugin(unpluginFactory);
export default unplugin;
