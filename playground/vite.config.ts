import { defineConfig } from "vite";
// The built plugin, as a project that installed unplugin-tracing would import it
// ("unplugin-tracing/vite"); `npm run playground` builds dist/ first.
import tracing from "../dist/src/vite.js";

export default defineConfig({
  plugins: [tracing()],
});
