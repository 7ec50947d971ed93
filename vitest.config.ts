import { defineConfig } from "vitest/config";
import tracing from "./src/vite.ts";

export default defineConfig({
  // Our own tests use tracepoints too (tests/vitest-plugin/): Vitest runs the Vite plugin.
  plugins: [tracing({ dts: false })],
  test: {
    include: ["tests/**/*.test.ts"],
    // Fixture builds use the package as a user gets it: dist/, built once here.
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
