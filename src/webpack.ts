import { unplugin } from "./index.ts";

/** The webpack plugin: `tracing(options?)`. */
export default unplugin.webpack;
