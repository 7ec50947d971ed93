// A package's virtual module: defines its tracepoints once, linked to the shared
// runtime, and re-exports the attach functions of the packages it imports.
import { createHash } from "node:crypto";
import { join } from "node:path";
import MagicString from "magic-string";
import type { EventDirective, EventParam } from "./directives.ts";

/** Resolved `//trace:import`: the attach functions to re-export under a prefix. */
export interface ResolvedImport {
  prefix: string;
  /** Virtual module id of the imported package. */
  virtualId: string;
  events: ReadonlyArray<{ name: string; hash: string }>;
}

export interface PackageCode {
  id: string;
  events: readonly EventDirective[];
  imports: readonly ResolvedImport[];
}

export const RUNTIME = "unplugin-tracing/runtime";

/** The name a package module exports an event's tracepoint under, and rewritten modules import. */
export const tpName = (event: string) => `__tp_${event}`;

/** The signature as written, normalised: `traceHello(who: string, n?: number)`. */
export function signatureOf(name: string, params: readonly EventParam[]): string {
  return `${name}(${params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.type.replace(/\s+/g, " ")}`).join(", ")})`;
}

/** Short hash of a signature: attach code built against another one is refused. */
export function hashOf(name: string, params: readonly EventParam[]): string {
  return createHash("sha256").update(signatureOf(name, params)).digest("hex").slice(0, 12);
}

/**
 * A prebuilt library's package, known from its manifest: attach by name, checked
 * against the hash. It does not import the library (esbuild cannot resolve from a
 * virtual module): the app that traces a library also loads it.
 */
export function generateLibraryModule(id: string, events: ReadonlyArray<{ name: string; params: EventParam[] }>, strip: boolean): string {
  if (strip) return generateStripped({ events, imports: [] });
  const out = [`import { attachByName as __attachByName } from ${JSON.stringify(RUNTIME)};`];
  for (const ev of events) {
    const args = [JSON.stringify(id), JSON.stringify(ev.name), "probe", JSON.stringify(hashOf(ev.name, ev.params)), JSON.stringify(signatureOf(ev.name, ev.params))];
    out.push(`export function ${ev.name}_Attach(pg, probe) { return __attachByName(pg, ${args.join(", ")}); }`);
  }
  return out.join("\n") + "\n";
}

export function generatePackageModule(pkg: PackageCode, strip: boolean): string {
  return strip ? generateStripped(pkg) : generateLive(pkg);
}

function generateLive(pkg: PackageCode): string {
  const out: string[] = [];
  if (pkg.events.length > 0) {
    out.push(`import { Tracepoint as __Tracepoint, defineTracepoint as __define, attachChecked as __attach } from ${JSON.stringify(RUNTIME)};`);
  }
  for (const ev of pkg.events) {
    const args = ev.params.map((_, i) => `$${i}`).join(", ");
    const hash = hashOf(ev.name, ev.params);
    const tp = tpName(ev.name);
    const params = JSON.stringify(ev.params.map((p) => (p.optional ? { name: p.name, type: p.type, optional: true } : { name: p.name, type: p.type })));
    const where = JSON.stringify(`${ev.file}:${ev.pos.line}:${ev.pos.column}`);
    out.push(
      `export const ${tp} = __define(new (class ${ev.name} extends __Tracepoint {`,
      // `f` is the only live probe (the common case, called straight from here) or,
      // with two or more, `many`: the package's dispatcher for this arity (see
      // `dispatcher`), whose result is already settled. Never null while `p` is not.
      `  fire(${args}) {`,
      `    const f = this.f, r = f(${args});`,
      `    return r == null || typeof r.then !== "function" ? undefined : f === this.many ? r : this.settle([r]);`,
      `  }`,
      `  many = (${args}) => __fire${ev.params.length}(this${ev.params.map((_, i) => `, $${i}`).join("")});`,
      `  wrap(f) { return (${args}) => f(this, [${args}]); }`,
      `})(${JSON.stringify(pkg.id)}, ${JSON.stringify(ev.name)}, ${params}, ${JSON.stringify(hash)}, ${where}));`,
      `export function ${ev.name}(${args}) { return ${tp}.p !== null ? ${tp}.fire(${args}) : undefined; }`,
      `export function ${ev.name}_Attach(pg, probe) { return __attach(pg, ${tp}, probe, ${JSON.stringify(hash)}, ${JSON.stringify(ev.name)}, ${JSON.stringify(signatureOf(ev.name, ev.params))}); }`,
    );
  }
  for (const n of new Set(pkg.events.map((ev) => ev.params.length))) out.push(dispatcher(n));
  for (const imp of pkg.imports) {
    if (imp.events.length === 0) continue;
    out.push(`export { ${imp.events.map((e) => `${e.name}_Attach as ${imp.prefix}_${e.name}_Attach`).join(", ")} } from ${JSON.stringify(imp.virtualId)};`);
  }
  if (out.length === 0) out.push("export {};");
  return out.join("\n") + "\n";
}

/** Probes a dispatcher calls from call sites of their own; more share one loop. */
const UNROLLED = 10;

/**
 * Calls the live probes (two or more) of a tracepoint with `n` arguments. One per
 * arity per package, not per event: each probe position has its own call site, so
 * V8 inlines a tracepoint's probes there, where one site in a loop turns
 * megamorphic. Every probe of a live list is on until an unlock publishes a new
 * list, which only a probe of this firing can cause: `on` is checked only after.
 */
function dispatcher(n: number): string {
  const args = Array.from({ length: n }, (_, i) => `$${i}`).join(", ");
  const call = (fn: string) => `r = ${fn}(${args}); if (r != null && typeof r.then === "function") (w ??= []).push(r);`;
  // `g` (a small integer bumped at every publish) says the list is still the one read
  // here: cheaper to compare after each probe than the list itself.
  const out = [`function __fire${n}(tp${args === "" ? "" : `, ${args}`}) {`, `  const ps = tp.p, g = tp.g, fs = tp.fs, n = fs.length;`, `  let w = null, r;`, `  try {`, `    ${call("fs[0]")}`];
  for (let k = 1; k < UNROLLED; k++) out.push(`    if (n > ${k} && (tp.g === g || ps[${k}].on)) { ${call(`fs[${k}]`)} }`);
  out.push(`    for (let i = ${UNROLLED}; i < n; i++) if (tp.g === g || ps[i].on) { ${call("fs[i]")} }`);
  // the caller gets a throw; promises probes returned before it must not leak as unhandled
  out.push(`  } catch (e) {`, `    if (w !== null) tp.abandon(w);`, `    throw e;`, `  }`, `  return w === null ? undefined : tp.settle(w);`, `}`);
  return out.join("\n");
}

// With `strip`, trace calls are removed at their sites; what remains referable
// (a trace function passed as a value, an attach call in a test) does nothing.
// Attach calls are counted on globalThis, so tracetest can say why no event comes.
function generateStripped(pkg: { events: ReadonlyArray<{ name: string }>; imports: readonly ResolvedImport[] }): string {
  const out = [
    `const __probe = { detach() {}, next() { return null; } };`,
    `const __stripped = (name) => { const s = (globalThis[Symbol.for("unplugin-tracing.stripped.v1")] ??= { count: 0, last: "" }); s.count++; s.last = name; return __probe; };`,
  ];
  for (const ev of pkg.events) {
    out.push(`export function ${ev.name}() {}`, `export function ${ev.name}_Attach() { return __stripped(${JSON.stringify(`${ev.name}_Attach`)}); }`);
  }
  for (const imp of pkg.imports) {
    for (const e of imp.events) {
      const name = `${imp.prefix}_${e.name}_Attach`;
      out.push(`export function ${name}() { return __stripped(${JSON.stringify(name)}); }`);
    }
  }
  return out.join("\n") + "\n";
}

/**
 * Rollup-like bundlers name a virtual module in `sources` (and so in stack frames)
 * after its id resolved against the cwd of the build. An identity map whose
 * source is `<root>/<id>` names it the same, relative to the output, from any cwd.
 */
export function virtualSourceMap(root: string, id: string, code: string) {
  return new MagicString(code).generateMap({ source: join(root, id), includeContent: true, hires: "boundary" });
}
