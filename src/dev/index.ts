// The dev-server side of live probing, as Vite hooks: in `vite dev` with HMR on
// (not in builds, not under Vitest, where `server.hmr` is false) and option `live`,
// inject the page client, answer the protocol on Vite's own websocket (so its host
// and token checks apply), serve the UI and print its address.

import type { HtmlTagDescriptor, ResolvedConfig, ViteDevServer } from "vite";
import { RUNTIME_DIR, runtimeFile } from "../ids.ts";
import { bindChannel, type Socket } from "./channel.ts";
import { createHub, type Hub } from "./hub.ts";
import { encodeProfile } from "./profile-file.ts";
import { startSsrTarget } from "./ssr-target.ts";
import { createUiMiddleware, UI_PATH } from "./ui-server.ts";

export interface LiveState {
  /** The hub of the running dev server, once `configureServer` enabled live probing. */
  hub: Hub | null;
}

export function devServerHooks(options: { readonly live: boolean }, state: LiveState = { hub: null }) {
  let base = "/";
  return {
    /**
     * The page loads the client by `/@fs/` from our runtime's directory. Installed by
     * `npm link` or `file:`, that is a real path outside the project, which Vite's
     * `server.fs.allow` would refuse (403): allow that one directory.
     */
    configResolved(config: ResolvedConfig): void {
      if (!options.live || config.command !== "serve") return;
      const dir = RUNTIME_DIR.replace(/\\/g, "/");
      const allow = config.server.fs.allow as string[];
      if (!allow.some((a) => dir === a || dir.startsWith(a.endsWith("/") ? a : `${a}/`))) allow.push(dir);
    },
    configureServer(server: ViteDevServer): void {
      const config = server.config;
      if (!options.live || config.command !== "serve" || config.server.hmr === false || config.server.ws === false) return;
      base = config.base;
      // Browser frames name served URLs: map them through the transform's own source map.
      const mapOf = (url: string) => {
        const path = new URL(url, "http://x").pathname;
        const mod = server.environments.client.moduleGraph.urlToModuleMap.get(path);
        return (mod?.transformResult?.map as object | null | undefined) ?? null;
      };
      const hub = createHub({ encodeProfile: (msg) => encodeProfile(msg, mapOf) });
      state.hub = hub;
      const servedAt = () => [...(server.resolvedUrls?.local ?? []), ...(server.resolvedUrls?.network ?? []), ...(config.server.origin ? [config.server.origin] : [])];
      const unbind = bindChannel(server.ws as unknown as Socket, hub, config.logger, servedAt);
      // Modules the SSR module runner evaluates share this process: one target for them.
      const stopSsr = startSsrTarget(hub, { url: `ssr: ${config.root}`, title: "SSR (module runner in the dev server)" });
      server.middlewares.use(createUiMiddleware(base));
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        for (const url of server.resolvedUrls?.local ?? []) config.logger.info(`  ➜  tracing: ${url}${UI_PATH}`);
      };
      server.httpServer?.once("close", () => {
        unbind();
        stopSsr();
        hub.close();
        state.hub = null;
      });
    },
    transformIndexHtml(): HtmlTagDescriptor[] | undefined {
      if (state.hub === null) return undefined;
      const file = runtimeFile("live/client").replace(/\\/g, "/");
      return [{ tag: "script", attrs: { type: "module", src: `${base}@fs${file.startsWith("/") ? "" : "/"}${file}` }, injectTo: "head-prepend" }];
    },
  };
}
