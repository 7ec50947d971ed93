import { unplugin } from "./index.ts";

/** The rolldown plugin: `tracing(options?)`. */
export default unplugin.rolldown;
