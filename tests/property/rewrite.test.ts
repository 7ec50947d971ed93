// Property: the rewrite of a trace call means the same wherever the call stands,
// in code with or without semicolons. Over real modules (tests/property/corpus.ts),
// each printed both ways by prettier and saved under each module kind in turn
// (.ts .mts .cts .js .mjs .cjs .jsx), a call of a declared event is put at every
// statement position and around expressions (tests/property/sites.ts); the plugin's
// transform rewrites them; the output must parse, and erasing the rewritten calls
// must give, re-printed by esbuild, exactly the source with the calls erased.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform as esbuildTransform } from "esbuild";
import { describe, expect, it } from "vitest";
import { createContext } from "../../src/context.ts";
import { corpusModules, reformat } from "./corpus.ts";
import { DIRECTIVE, eraseSites, insertSites, isSourceCall } from "./sites.ts";

type Node = { type: string; [k: string]: any };

const isIdleCheck = (test: Node, op: string) =>
  test.type === "BinaryExpression" &&
  test.operator === op &&
  test.left.type === "MemberExpression" &&
  test.left.object.type === "Identifier" &&
  test.left.object.name.startsWith("__tp_") &&
  test.right.type === "Literal" &&
  test.right.value === null;

/** What the rewrite makes of a call: `(tp.p !== null ? tp.fire(...) : void 0)`, or the await form. */
const isRewrittenCall = (node: Node) =>
  node.type === "ConditionalExpression" &&
  (isIdleCheck(node.test, "!==") || (node.test.type === "LogicalExpression" && isIdleCheck(node.test.left, "===")));

/** What the rewrite appends: the import of the package module, and the await form's temporary. */
const isAppended = (node: Node) =>
  (node.type === "ImportDeclaration" && String(node.source.value).startsWith("trace-pkg:")) ||
  (node.type === "VariableDeclaration" && node.declarations[0]?.id.name === "__trace_r");

const reprint = async (code: string, ext: "ts" | "js") => (await esbuildTransform(code, { loader: ext })).code;

describe("rewrite over real code, with and without semicolons", () => {
  const root = mkdtempSync(join(tmpdir(), "trace-prop-"));
  const modules = corpusModules();
  let total = 0;

  // Every module kind the plugin reads, in turn (a .tsx file would read `<T>(x) =>` as JSX).
  const kinds = { ts: ["ts", "mts", "cts"], js: ["js", "mjs", "cjs", "jsx"] };
  const cases = modules.flatMap((m, i) => [true, false].map((semi, j) => ({ ...m, semi, kind: kinds[m.ext][(2 * i + j) % kinds[m.ext].length]! })));

  it.each(cases)("$name as .$kind, semi: $semi", async ({ name, ext, code, semi, kind }) => {
    const source = DIRECTIVE + (await reformat(insertSites(code, ext), ext, semi));
    const dir = join(root, `${name.replace(/\W/g, "_")}_${semi}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `mod.${kind}`);
    writeFileSync(file, source);
    const ctx = createContext({ root, dts: false });
    const out = (await ctx.transform(source, file, null)).result!;

    const want = eraseSites(source, ext, isSourceCall);
    const have = eraseSites(out.code, ext, isRewrittenCall, isAppended);
    expect(want.sites).toBeGreaterThan(100);
    expect(have.stray).toEqual([]);
    expect(have.sites).toBe(want.sites);
    expect(await reprint(have.code, ext)).toBe(await reprint(want.code, ext));
    total += want.sites;
  });

  it("checked every site", () => {
    console.log(`rewrite property: ${total} trace-call sites checked in ${modules.length} modules, each with and without semicolons`);
    expect(total).toBeGreaterThan(modules.length * 2 * 100);
  });
});
