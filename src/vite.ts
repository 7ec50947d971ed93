import { unplugin } from "./index.ts";

/** The vite plugin: `tracing(options?)`. */
export default unplugin.vite;
