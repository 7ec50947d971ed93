// The transform on its own, without a bundler: what one module becomes.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createContext } from "../src/context.ts";

function project(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), "trace-tf-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const ctx = createContext({ root, dts: false });
  return { root, transform: async (name: string, code = files[name]!) => (await ctx.transform(code, join(root, name), null)).result };
}

it("rewrites a call into the idle check, imports what the module uses, and a second pass changes nothing", async () => {
  const p = project({ "p/a.ts": "//trace:event traceA(x: number)\nexport const f = (x: number) => traceA(x * 2);\nexport const g = () => traceA_Attach;\n" });
  const once = await p.transform("p/a.ts");
  expect(once!.code).toBe(
    "//trace:event traceA(x: number)\n" +
      "export const f = (x: number) => (__tp_traceA.p !== null ? __tp_traceA.fire(x * 2) : void 0);\n" +
      "export const g = () => traceA_Attach;\n" +
      `\nimport { __tp_traceA, traceA_Attach } from "trace-pkg:p";\n`,
  );
  expect(await p.transform("p/a.ts", once!.code)).toBeNull();
});

it("awaits only what a probe returned", async () => {
  const p = project({ "p/a.ts": "//trace:event traceA()\nexport async function f() {\n  await traceA();\n}\n" });
  expect((await p.transform("p/a.ts"))!.code).toContain("(__tp_traceA.p === null || (__trace_r = __tp_traceA.fire()) === undefined ? void 0 : await __trace_r);");
});

it("reads a .js module that holds JSX", async () => {
  const p = project({ "p/app.js": "//trace:event traceRender(name: string)\nexport function App(name) { traceRender(name); return <div>{name}</div>; }\n" });
  expect((await p.transform("p/app.js"))!.code).toContain("(__tp_traceRender.p !== null ? __tp_traceRender.fire(name) : void 0); return <div>{name}</div>;");
});

it("leaves a module with no events and no trace imports alone", async () => {
  const p = project({ "q/b.ts": "export const stacktrace = 'trace';\n" });
  expect(await p.transform("q/b.ts")).toBeNull();
});

it("issue 10: a call that starts a statement after one without `;` gets a `;`; after `;`, a body's `}`, in an if, a label or an expression it does not", async () => {
  const code = [
    "//trace:event traceA(x: number)",
    "const who = 'JP'",
    "traceA(1)",
    "if (who) traceA(2)",
    "else traceA(3)",
    "l: traceA(4)",
    "export const f = () => traceA(5), g = who;",
    "traceA(6)",
    "function h() { traceA(7) }",
    "traceA(8)",
    "const o = {}",
    "traceA(9)",
    "",
  ].join("\n");
  const p = project({ "p/a.js": code });
  const call = (n: number) => `(__tp_traceA.p !== null ? __tp_traceA.fire(${n}) : void 0)`;
  expect((await p.transform("p/a.js"))!.code.split("\n").slice(1, 12)).toEqual([
    "const who = 'JP'",
    `;${call(1)}`,
    `if (who) ${call(2)}`,
    `else ${call(3)}`,
    `l: ${call(4)}`,
    `export const f = () => ${call(5)}, g = who;`,
    call(6),
    `function h() { ${call(7)} }`,
    call(8),
    "const o = {}",
    `;${call(9)}`,
  ]);
});

it("issue 10: strip leaves a parenthesised void 0, guarded like a call", async () => {
  const root = mkdtempSync(join(tmpdir(), "trace-tf-"));
  mkdirSync(join(root, "p"));
  const code = "//trace:event traceA(x: number)\nconst n = 2\ntraceA(n) ** 2\nexport const m = traceA(n)?.x\n";
  writeFileSync(join(root, "p/a.js"), code);
  const out = (await createContext({ root, dts: false, strip: true }).transform(code, join(root, "p/a.js"), null)).result!;
  expect(out.code.split("\n").slice(1, 4)).toEqual(["const n = 2", ";(void 0) ** 2", "export const m = (void 0)?.x"]);
});

it("issue 10: `declare const traceA` states a type and does not shadow the event", async () => {
  const p = project({ "p/a.ts": "//trace:event traceA(x: number)\ndeclare const traceA: (x: number) => void;\nexport const f = () => traceA(1);\n" });
  expect((await p.transform("p/a.ts"))!.code).toContain("export const f = () => (__tp_traceA.p !== null ? __tp_traceA.fire(1) : void 0);");
});

it("issue 10: a name used only in a class, member or parameter decorator is imported", async () => {
  const p = project({
    "p/a.ts": "//trace:event traceA(x: number)\n@register(traceA_Attach)\nexport class A {\n  constructor(@inject(traceA) x: number) {}\n}\n",
  });
  expect((await p.transform("p/a.ts"))!.code).toContain("import { traceA, traceA_Attach } from");
});
