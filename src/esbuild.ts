import { unplugin } from "./index.ts";

/** The esbuild plugin: `tracing(options?)`. */
export default unplugin.esbuild;
