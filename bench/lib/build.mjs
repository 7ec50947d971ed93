// Builds the bench sources through the real plugin (esbuild entry) into bench/out/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
export const benchDir = join(here, "..");
export const outDir = join(benchDir, "out");

/** Builds one entry of bench/src; returns { ok, file, error }. */
export async function buildEntry(name) {
  const { default: tracing } = await import("../../dist/src/esbuild.js");
  const file = join(outDir, `${name}.mjs`);
  const entry = join(benchDir, "src", `${name}.ts`);
  if (!existsSync(entry)) return { ok: false, file, error: `no ${entry}` };
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      // banner: esbuild's ESM output of CommonJS `debug` needs a require().
      banner: { js: `import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);` },
      plugins: [tracing({ root: join(benchDir, "src"), dts: false })],
    });
    return { ok: true, file };
  } catch (err) {
    return { ok: false, file, error: String(err?.message ?? err).split("\n").slice(0, 6).join("\n") };
  }
}
