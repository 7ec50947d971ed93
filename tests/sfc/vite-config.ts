// The fixture app's Vite config for the tests: our plugin first, then Vue's and
// Svelte's own plugins, as a user's vite.config.ts lists them.
import { fileURLToPath } from "node:url";
import vue from "@vitejs/plugin-vue";
import { svelte, vitePreprocess } from "@sveltejs/vite-plugin-svelte";
import { createLogger, type InlineConfig, type Plugin } from "vite";
import type { Options } from "../../src/options.ts";

export const appRoot = fileURLToPath(new URL("./fixtures/app", import.meta.url));
const distDir = fileURLToPath(new URL("../../dist/src/", import.meta.url));

/** Stands in for a framework plugin of a kind we do not read (Astro's): after ours, it turns the file into a module. */
const astroLike: Plugin = {
  name: "astro-like",
  transform(code, id) {
    return id.endsWith(".astro") ? { code: `export default ${JSON.stringify(code.split("\n").at(-2))};\n`, map: null } : null;
  },
};

/** The plugin as a user's project gets it (dist/, built by tests/global-setup.ts). */
export async function tracingPlugin(options: Options): Promise<Plugin> {
  const mod = (await import(`${distDir}vite.js`)) as { default: (o: Options) => Plugin };
  return mod.default(options);
}

export async function appConfig(options: Options, warnings: string[]): Promise<InlineConfig> {
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (msg) => void warnings.push(msg);
  logger.warnOnce = (msg) => void warnings.push(msg);
  logger.error = (msg) => void warnings.push(`error: ${msg}`);
  return {
    root: appRoot,
    configFile: false,
    envDir: false,
    customLogger: logger,
    // vitePreprocess, as the create-vite Svelte template's svelte.config.js has it: a `pre` plugin after ours.
    plugins: [await tracingPlugin(options), vue(), svelte({ configFile: false, preprocess: vitePreprocess() }), astroLike],
  };
}
