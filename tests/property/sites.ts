// Trace-call sites for the property test: put a call of one event at every
// statement position of a module (and around expressions in the contexts where
// ASI and precedence bite), and erase them again, from the source or from what
// the rewrite made of them.
import MagicString from "magic-string";
import { parseSync } from "oxc-parser";

export const EVENT = "traceSite";
export const DIRECTIVE = `//trace:event ${EVENT}(n: number)\n`;

type Node = { type: string; start: number; end: number; [k: string]: any };

const TYPE_KEYS = new Set(["typeAnnotation", "typeParameters", "typeArguments", "returnType", "superTypeArguments", "implements", "decorators"]);

function parse(code: string, ext: "ts" | "js"): Node {
  const r = parseSync(`m.${ext}`, code, { lang: ext, sourceType: "module" });
  if (r.errors.length > 0) throw new Error(`does not parse: ${r.errors[0]!.message}\n${r.errors[0]!.codeframe ?? ""}`);
  return r.program as unknown as Node;
}

function children(node: Node, visit: (child: Node, key: string, inList: boolean) => void): void {
  for (const key in node) {
    if (key === "type" || key === "start" || key === "end" || TYPE_KEYS.has(key)) continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") visit(c, key, true);
    } else if (v && typeof v === "object" && typeof v.type === "string") visit(v, key, false);
  }
}

const isList = (node: Node, key: string) =>
  (key === "body" && (node.type === "Program" || node.type === "BlockStatement" || node.type === "StaticBlock")) ||
  (key === "consequent" && node.type === "SwitchCase");

/**
 * The module with a trace call before every statement of every statement list
 * (awaited in async functions), at the end of every block, at the head of every
 * expression statement (`traceSite(n), e`), and around return values, arrow
 * bodies, class field values, `?:` branches and template literal parts
 * (`(traceSite(n), e)`). Ambient (`declare`) code is left alone.
 */
export function insertSites(code: string, ext: "ts" | "js"): string {
  const s = new MagicString(code);
  let n = 0;
  const call = () => `${EVENT}(${++n})`;
  const wrap = (e: Node) => {
    s.appendLeft(e.start, `(${call()}, `);
    s.appendLeft(e.end, ")");
  };
  const visit = (node: Node, async: boolean): void => {
    if (node.declare || node.type === "TSModuleDeclaration" || node.type.startsWith("TSType") || node.type === "TSInterfaceDeclaration") return;
    const fn = /Function/.test(node.type) && "params" in node;
    const inAsync = fn ? !!node.async : async;
    switch (node.type) {
      case "ReturnStatement":
        if (node.argument) wrap(node.argument);
        break;
      case "ArrowFunctionExpression":
        if (node.expression) wrap(node.body);
        break;
      case "PropertyDefinition":
        if (node.value) wrap(node.value);
        break;
      case "ConditionalExpression":
        wrap(node.consequent);
        wrap(node.alternate);
        break;
      case "TemplateLiteral":
        for (const e of node.expressions) wrap(e);
        break;
      case "BlockStatement":
        if (node.body.length > 0) s.appendLeft(node.end - 1, `${inAsync ? "await " : ""}${call()};`);
        break;
    }
    children(node, (child, key) => {
      if (isList(node, key) && !child.directive && !child.declare) s.appendLeft(child.start, `${inAsync && node.type !== "Program" ? "await " : ""}${call()};`);
      if (child.type === "ExpressionStatement" && !child.directive) s.appendLeft(child.start, `${call()}, `);
      visit(child, node.type === "StaticBlock" ? false : inAsync);
    });
  };
  visit(parse(code, ext), false);
  return s.toString();
}

/** Whether a node is one of our calls as written in the source: `traceSite(n)` or `await traceSite(n)`. */
export function isSourceCall(node: Node): boolean {
  if (node.type === "AwaitExpression") node = node.argument;
  return node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === EVENT;
}

export interface Erased {
  code: string;
  /** Sites erased. */
  sites: number;
  /** Sites that are no longer a statement or the head of a sequence: the rewrite changed what surrounds them. */
  stray: string[];
}

/**
 * Erases every node `isSite` matches: a statement that is only a site becomes
 * `;`, a site at the head of a sequence becomes
 * `0`; then empty statements of lists are removed. A site anywhere else is
 * reported as stray. `drop` nodes (what the rewrite appends) are removed.
 */
export function eraseSites(code: string, ext: "ts" | "js", isSite: (node: Node) => boolean, drop: (node: Node) => boolean = () => false): Erased {
  const program = parse(code, ext);
  const s = new MagicString(code);
  const out: Erased = { code: "", sites: 0, stray: [] };
  const unparen = (node: Node): Node => (node.type === "ParenthesizedExpression" ? unparen(node.expression) : node);
  const visit = (node: Node, parent: Node | null, key: string, index: number, inList: boolean): void => {
    if (drop(node)) return void s.remove(node.start, node.end);
    if (node.type === "ExpressionStatement" && isSite(unparen(node.expression))) {
      out.sites++;
      // `;`, not removed: the statement may end with the `;` that guards the next line.
      return void s.overwrite(node.start, node.end, ";");
    }
    if (isSite(unparen(node))) {
      out.sites++;
      // Cut to `0`, not removed: `(x)` left at the start of a line would join the line above.
      if (parent?.type === "SequenceExpression" && key === "expressions" && index === 0) s.overwrite(node.start, node.end, "0");
      else {
        const line = code.slice(0, node.start).split("\n").length;
        out.stray.push(`line ${line}: ${parent?.type ?? "top"}.${key}: ${JSON.stringify(code.slice(Math.max(0, node.start - 40), node.end + 10))}`);
      }
      return;
    }
    let i = 0;
    let lastKey = "";
    children(node, (child, k, array) => {
      i = k === lastKey ? i + 1 : 0;
      lastKey = k;
      visit(child, node, k, array ? i : -1, isList(node, k));
    });
  };
  visit(program, null, "", -1, false);
  out.code = dropEmptyStatements(s.toString(), ext);
  return out;
}

/** Removes the empty statements of statement lists: no-ops that the rewrite's `;` guard and the erasure leave. */
function dropEmptyStatements(code: string, ext: "ts" | "js"): string {
  const s = new MagicString(code);
  const visit = (node: Node, inList: boolean): void => {
    if (node.type === "EmptyStatement" && inList) return void s.remove(node.start, node.end);
    children(node, (child, key) => visit(child, isList(node, key)));
  };
  visit(parse(code, ext), false);
  return s.toString();
}
