// Build cost: a generated project of 2,000 modules, 1% of them using tracepoints,
// built by Vite with and without the plugin; and the transform's scan throughput.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./harness.mjs";

const DIRS = 100;
const PER_DIR = 20; // 2,000 modules
const TRACED_DIRS = 10; // two traced modules in each: 20 modules, 1%

function moduleText(d, m, traced) {
  const deps = [];
  if (m > 0) deps.push(`./m${m - 1}.ts`);
  if (m > 1) deps.push(`./m${m - 2}.ts`);
  if (d > 0 && m === 0) deps.push(`../d${d - 1}/m${PER_DIR - 1}.ts`);
  const lines = [];
  if (traced && m === 0) {
    lines.push(`//trace:event traceD${d}Start(id: number, name: string)`, `//trace:event traceD${d}Done(id: number, ms: number)`);
  }
  deps.forEach((p, k) => lines.push(`import { run as dep${k} } from "${p}";`));
  lines.push(
    `export interface Item${m} { id: number; name: string; tags: string[]; score?: number }`,
    `const cache = new Map<number, Item${m}>();`,
    `function make(id: number): Item${m} {`,
    `  const hit = cache.get(id);`,
    `  if (hit) return hit;`,
    `  const item: Item${m} = { id, name: \`item-\${id}-d${d}m${m}\`, tags: [String(id % 7), "x"] };`,
    `  cache.set(id, item);`,
    `  return item;`,
    `}`,
    `export function score(items: Item${m}[]): number {`,
    `  let s = 0;`,
    `  for (const it of items) s += it.id * 31 + it.name.length + (it.score ?? 0);`,
    `  return s;`,
    `}`,
    `export function run(n: number): number {`,
  );
  if (traced) lines.push(`  traceD${d}Start(n, "run d${d}m${m}");`);
  lines.push(`  const items: Item${m}[] = [];`, `  for (let i = 0; i < n; i++) items.push(make(i));`);
  lines.push(`  let total = score(items);`);
  deps.forEach((_, k) => lines.push(`  total += dep${k}(n >> 1);`));
  if (traced) lines.push(`  traceD${d}Done(n, total);`);
  lines.push(`  return total;`, `}`);
  return lines.join("\n") + "\n";
}

export function generateProject() {
  const root = mkdtempSync(join(tmpdir(), "tracing-bench-"));
  const traced = [];
  const plain = [];
  const main = [];
  for (let d = 0; d < DIRS; d++) {
    mkdirSync(join(root, "src", `d${d}`), { recursive: true });
    for (let m = 0; m < PER_DIR; m++) {
      const isTraced = d < TRACED_DIRS && m < 2;
      const file = join(root, "src", `d${d}`, `m${m}.ts`);
      writeFileSync(file, moduleText(d, m, isTraced));
      (isTraced ? traced : plain).push(file);
      main.push(`import { run as r${d}_${m} } from "./src/d${d}/m${m}.ts";`);
    }
  }
  const calls = [];
  for (let d = 0; d < DIRS; d++) for (let m = 0; m < PER_DIR; m++) calls.push(`r${d}_${m}`);
  main.push(`export const all = [${calls.join(", ")}];`);
  writeFileSync(join(root, "main.ts"), main.join("\n") + "\n");
  return { root, traced, plain, modules: DIRS * PER_DIR };
}

async function viteBuild(vite, root, plugins) {
  const t0 = performance.now();
  await vite.build({
    root,
    configFile: false,
    logLevel: "silent",
    plugins,
    build: {
      outDir: join(root, "dist"),
      emptyOutDir: true,
      lib: { entry: join(root, "main.ts"), formats: ["es"], fileName: "main" },
      minify: true,
    },
  });
  return performance.now() - t0;
}

/** Alternates builds without and with the plugin; the first pair is warm-up. */
export async function measureBuild(project, runs) {
  const vite = await import("vite");
  const { default: tracing } = await import("../../dist/src/vite.js");
  const without = [];
  const withPlugin = [];
  const pairRatios = [];
  for (let r = -1; r < runs; r++) {
    const order = r % 2 === 0 ? ["w", "o"] : ["o", "w"];
    const got = {};
    for (const k of order) got[k] = await viteBuild(vite, project.root, k === "w" ? [tracing({ dts: false })] : []);
    if (r < 0) continue;
    without.push(got.o);
    withPlugin.push(got.w);
    pairRatios.push(got.w / got.o);
  }
  return {
    modules: project.modules,
    tracedModules: project.traced.length,
    runs,
    withoutMs: median(without),
    withMs: median(withPlugin),
    ratio: median(withPlugin) / median(without),
    pairedRatio: median(pairRatios),
    // Noise on a shared machine only ever adds time: the fastest build of each kind
    // is the least disturbed estimate of what each costs.
    minRatio: Math.min(...withPlugin) / Math.min(...without),
    samples: { without, with: withPlugin },
  };
}

/**
 * MB/s of `createContext().transform(code, id, null)`: a fresh context per pass, as
 * in one build. Modules without directives reach the hook only when their text
 * contains "trace" (the hook's code filter); here they are fed to it directly.
 */
export async function measureScan(project, passes) {
  const { createContext } = await import("../../dist/src/context.js");
  const load = (files) => files.map((f) => ({ f, code: readFileSync(f, "utf8") }));
  const sets = { withDirectives: load(project.traced), withoutDirectives: load(project.plain.slice(0, 400)) };
  const out = {};
  for (const [name, mods] of Object.entries(sets)) {
    const bytes = mods.reduce((n, m) => n + Buffer.byteLength(m.code), 0);
    const times = [];
    let rewritten = 0;
    for (let p = -2; p < passes; p++) {
      const ctx = createContext({ root: project.root, dts: false });
      const t0 = performance.now();
      for (const m of mods) {
        const r = await ctx.transform(m.code, m.f, null);
        if (r.result) rewritten++;
      }
      const t = performance.now() - t0;
      if (p >= 0) times.push(t);
    }
    const ms = median(times);
    out[name] = { modules: mods.length, bytes, ms, mbPerS: bytes / 1e6 / (ms / 1e3), rewrittenPerPass: rewritten / (passes + 2) };
  }
  return out;
}

export function cleanup(project) {
  rmSync(project.root, { recursive: true, force: true });
}
