import { unplugin } from "./index.ts";

/** The rspack plugin: `tracing(options?)`. */
export default unplugin.rspack;
