// Rewrites one module of a package: trace calls become an inline idle check,
// and the names the module uses are imported from the package's virtual module.
//
// The rewrite of a call means the same wherever the call stands, by construction:
// it is one parenthesised expression, so it binds as tightly as the call did and
// the tokens after it continue it exactly as they continued the call. The one
// place where a leading `(` reads differently from the identifier it replaces is
// the start of a statement, where it would continue a previous line written
// without a semicolon (`const who = 'JP'` + `(…)` calls the string): there the
// rewrite begins with `;` (src/scope.ts finds those statements: in a statement
// list, after a statement that does not end in `;` or a body's `}`). The body
// of `if`, `else`, a loop or a label follows `)`, `else`, `do` or `:`, which
// nothing continues, and a `;` there would end the body early.
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
  /**
   * Called for each trace call with the number of arguments it passes (null when one
   * is spread) and its offset; throws to refuse it. Extra arguments would be dropped.
   */
  checkCall?: (event: string, args: number | null, at: number) => void;
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
  const refs = findFreeReferences(program, code, wanted).sort((a, b) => a.start - b.start);
  if (refs.length === 0) return null;

  // Source maps count lines at \n only; a lone \r (old Mac files) ends a line for
  // V8 and editors. As \n it means the same to JavaScript (template literals and
  // JSX text read both as \n; strings, regexps and identifiers cannot hold one;
  // only a JSX attribute string would change) and keeps every offset.
  const s = new MagicString(code.includes("\r") ? code.replace(/\r(?!\n)/g, "\n") : code);
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
    names.checkCall?.(ref.name, call.args, call.start);
    const tp = tpName(ref.name);
    const from = call.await?.start ?? call.start;
    // The guard belongs to the text before the call, so the call keeps its own source-map position.
    if (call.needsGuard) s.appendLeft(from, ";");
    if (strip) {
      // Parenthesised too: `traceX(a) ** 2` or `traceX(a).then` need a primary expression.
      s.overwrite(from, call.end, "(void 0)");
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
