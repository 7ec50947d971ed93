// Real-world modules for the property test of the rewrite: sources shipped by
// packages this project installs (TypeScript and JavaScript, written by others),
// each reformatted with and without semicolons by prettier, as users write them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format } from "prettier";

const nodeModules = fileURLToPath(new URL("../../node_modules/", import.meta.url));

/** Paths under node_modules; chosen for size and variety (classes, async, generators, CJS). */
const SOURCES = [
  "@jridgewell/trace-mapping/src/trace-mapping.ts",
  "@jridgewell/gen-mapping/src/gen-mapping.ts",
  "@jridgewell/sourcemap-codec/src/scopes.ts",
  "ajv/lib/core.ts",
  "ajv/lib/compile/codegen/index.ts",
  "ajv/lib/compile/validate/index.ts",
  "debug/src/common.js",
  "debug/src/node.js",
  "debug/src/browser.js",
  "webpack/lib/module/extractSourceMap.js",
  "webpack/lib/define/DotenvPlugin.js",
];

export interface CorpusModule {
  /** Path under node_modules. */
  name: string;
  ext: "ts" | "js";
  code: string;
}

/** The corpus; a missing file is an error, so the test cannot pass on nothing. */
export function corpusModules(): CorpusModule[] {
  return SOURCES.map((name) => ({ name, ext: name.endsWith(".ts") ? "ts" : "js", code: readFileSync(nodeModules + name, "utf8") }));
}

/** The module as prettier prints it, with or without semicolons. */
export function reformat(code: string, ext: "ts" | "js", semi: boolean): Promise<string> {
  return format(code, { parser: ext === "ts" ? "typescript" : "babel", semi, printWidth: 100 });
}
