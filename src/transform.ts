// Rewrites one module of a package: trace calls become an inline idle check,
// and the names the module uses are imported from the package's virtual module.
//
// The import is appended at the end (imports are hoisted), so every user line and
// column keeps its place; the source map covers the rest.
import MagicString from "magic-string";
import { findFreeReferences } from "./scope.ts";
import { tpName } from "./virtual.ts";

export interface ModuleNames {
  /** Events of the module's own package: `traceX` may be called, `traceX_Attach` used. */
  events: ReadonlySet<string>;
  /** Other names the package provides, such as `hello_traceX_Attach` from `//trace:import`. */
  others: ReadonlySet<string>;
}

export interface TransformResult {
  code: string;
  map: ReturnType<MagicString["generateMap"]>;
}

const TEMP = "__trace_r";

export function rewriteModule(
  code: string,
  id: string,
  program: any,
  names: ModuleNames,
  virtualId: string,
  strip: boolean,
  /** Where generated imports go when not at the end: inside a component's script block. */
  importAt?: number,
): TransformResult | null {
  const wanted = new Set<string>(names.others);
  for (const e of names.events) wanted.add(e).add(`${e}_Attach`);
  const refs = findFreeReferences(program, wanted).sort((a, b) => a.start - b.start);
  if (refs.length === 0) return null;

  const s = new MagicString(code);
  const imports = new Set<string>();
  let needTemp = false;
  let strippedUntil = -1;
  for (const ref of refs) {
    if (ref.start < strippedUntil) continue; // inside a call that strip removed whole
    const call = names.events.has(ref.name) ? ref.call : null;
    if (!call) {
      imports.add(ref.name);
      continue;
    }
    const tp = tpName(ref.name);
    if (strip) {
      const from = call.await?.start ?? call.start;
      s.overwrite(from, call.end, "void 0");
      strippedUntil = call.end;
      continue;
    }
    imports.add(tp);
    if (call.await) {
      // `await traceX(a)` must not yield when nothing waits: await only a returned promise.
      needTemp = true;
      s.overwrite(call.await.start, call.calleeEnd, `(${tp}.p === null || (${TEMP} = ${tp}.fire`);
      s.appendLeft(call.end, `) === undefined ? void 0 : await ${TEMP})`);
    } else {
      s.overwrite(ref.start, ref.end, `(${tp}.p !== null ? ${tp}.fire`);
      s.appendLeft(call.end, ` : void 0)`);
    }
  }
  const append = (text: string) => (importAt === undefined ? s.append(text) : s.appendLeft(importAt, text));
  if (imports.size > 0) {
    append(`\nimport { ${[...imports].sort().join(", ")} } from ${JSON.stringify(virtualId)};\n`);
  }
  if (needTemp) append(`var ${TEMP};\n`);
  return { code: s.toString(), map: s.generateMap({ source: id, includeContent: true, hires: "boundary" }) };
}
