import { unplugin } from "./index.ts";

/** The rollup plugin: `tracing(options?)`. */
export default unplugin.rollup;
