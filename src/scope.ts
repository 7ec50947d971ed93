// Finds the references to a set of names that no local binding shadows.
//
// A small scope analysis over the ESTree AST from oxc-parser: it records the
// declarations of the wanted names in their scopes (var in the function, let,
// const, class and function declarations in the block, parameters, catch
// parameters, imports) and resolves each reference after the walk, so hoisting
// needs no special case. Type positions are skipped: they are not references.

export interface Reference {
  name: string;
  start: number;
  end: number;
  /** The call when the reference is the callee of a call (`traceX(...)`). */
  call: Call | null;
  /** `{ traceX }` in an object literal: the rewrite must keep the key. */
  shorthand: boolean;
}

export interface Call {
  start: number;
  end: number;
  calleeEnd: number;
  await: { start: number } | null;
  /** How many arguments the call passes, or null when one is spread (`traceX(...xs)`). */
  args: number | null;
  /**
   * The call (or its `await`) is the first token of an expression statement in a
   * statement list, after a statement that ends without `;`: a rewrite that
   * starts with `(` would continue that statement, so it must begin with `;`.
   */
  needsGuard: boolean;
}

interface Scope {
  parent: Scope | null;
  names: Set<string>;
  /** function scopes take `var`; blocks do not */
  fn: boolean;
}

type Node = { type: string; start: number; end: number; [k: string]: any };

const TYPE_KEYS = new Set(["typeAnnotation", "typeParameters", "typeArguments", "returnType", "superTypeArguments", "implements"]);
const TYPE_ONLY = new Set([
  "TSTypeAliasDeclaration",
  "TSInterfaceDeclaration",
  "TSDeclareFunction",
  "TSTypeAnnotation",
  "TSImportEqualsDeclaration",
]);

export function findFreeReferences(program: Node, code: string, wanted: ReadonlySet<string>): Reference[] {
  const refs: Array<Reference & { scope: Scope }> = [];
  // Starts of the expression statements that follow, in a statement list, a
  // statement the next line could continue (one that does not end in `;` or `}`
  // of a declaration or block).
  const continuable = new Set<number>();

  /** Visits a statement list, noting the expression statements a leading `(` would join to the statement before. */
  function visitStatements(list: Node[], parent: Node, key: string, scope: Scope): void {
    let prev: Node | null = null;
    for (const st of list) {
      if (st.type === "ExpressionStatement" && prev !== null && !endsClosed(prev, code)) continuable.add(st.start);
      visit(st, parent, key, scope);
      prev = st;
    }
  }
  const moduleScope: Scope = { parent: null, names: new Set(), fn: true };

  const declare = (scope: Scope, name: string) => {
    if (wanted.has(name)) scope.names.add(name);
  };
  const fnScopeOf = (scope: Scope) => {
    let s = scope;
    while (!s.fn && s.parent) s = s.parent;
    return s;
  };

  /** Declares the names a binding pattern introduces, and walks its defaults and computed keys. */
  function bindPattern(p: Node | null, into: Scope, scope: Scope): void {
    if (!p) return;
    switch (p.type) {
      case "Identifier":
        declare(into, p.name);
        return;
      case "ObjectPattern":
        for (const prop of p.properties) {
          if (prop.type === "RestElement") bindPattern(prop.argument, into, scope);
          else {
            if (prop.computed) visit(prop.key, prop, "key", scope);
            bindPattern(prop.value, into, scope);
          }
        }
        return;
      case "ArrayPattern":
        for (const el of p.elements) bindPattern(el, into, scope);
        return;
      case "RestElement":
        bindPattern(p.argument, into, scope);
        return;
      case "AssignmentPattern":
        bindPattern(p.left, into, scope);
        visit(p.right, p, "right", scope);
        return;
      case "TSParameterProperty":
        bindPattern(p.parameter, into, scope);
        return;
      default:
        visit(p, null, "", scope); // member expressions in for-in heads and the like
    }
  }

  function visitFunction(fn: Node, scope: Scope): void {
    const inner: Scope = { parent: scope, names: new Set(), fn: true };
    if (fn.type === "FunctionExpression" && fn.id) declare(inner, fn.id.name);
    for (const p of fn.params) {
      for (const d of p.decorators ?? []) visit(d, p, "decorators", scope);
      bindPattern(p, inner, inner);
    }
    if (fn.body) {
      if (fn.body.type === "BlockStatement") visitStatements(fn.body.body, fn.body, "body", inner);
      else visit(fn.body, fn, "body", inner);
    }
  }

  function visitChildren(node: Node, scope: Scope): void {
    for (const key in node) {
      if (key === "type" || key === "start" || key === "end" || TYPE_KEYS.has(key)) continue;
      const v = node[key];
      if (Array.isArray(v)) {
        if (isStatementList(node, key)) visitStatements(v, node, key, scope);
        else for (const c of v) if (c && typeof c.type === "string") visit(c, node, key, scope);
      } else if (v && typeof v === "object" && typeof v.type === "string") visit(v, node, key, scope);
    }
  }

  function visit(node: Node, parent: Node | null, key: string, scope: Scope): void {
    if (TYPE_ONLY.has(node.type)) return;
    switch (node.type) {
      case "Identifier": {
        if (!wanted.has(node.name) || !isReference(node, parent, key)) return;
        let call: Reference["call"] = null;
        if (parent && (parent.type === "CallExpression") && key === "callee") {
          const args = parent.arguments.some((a: Node) => a.type === "SpreadElement") ? null : parent.arguments.length;
          call = { start: parent.start, end: parent.end, calleeEnd: node.end, await: null, args, needsGuard: false };
        }
        refs.push({ name: node.name, start: node.start, end: node.end, call, shorthand: !!(parent?.type === "Property" && parent.shorthand), scope });
        return;
      }
      case "AwaitExpression": {
        visit(node.argument, node, "argument", scope);
        const last = refs[refs.length - 1];
        if (last?.call && last.call.start === node.argument.start && last.call.end === node.argument.end) last.call.await = { start: node.start };
        return;
      }
      case "ExportNamedDeclaration":
        if (node.source) return; // `export { x } from "m"` reads no local binding
        visitChildren(node, scope);
        return;
      case "ImportDeclaration":
        if (node.importKind === "type") return;
        for (const s of node.specifiers) if (s.importKind !== "type") declare(moduleScope, s.local.name);
        return;
      case "VariableDeclaration": {
        // `declare const traceK: ...` only states a type: the name still means the event.
        if (node.declare) return;
        const into = node.kind === "var" ? fnScopeOf(scope) : scope;
        for (const d of node.declarations) {
          bindPattern(d.id, into, scope);
          if (d.init) visit(d.init, d, "init", scope);
        }
        return;
      }
      case "FunctionDeclaration":
        if (node.id) declare(scope, node.id.name);
        visitFunction(node, scope);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        visitFunction(node, scope);
        return;
      case "ClassDeclaration":
      case "ClassExpression": {
        // Decorators are evaluated in the enclosing scope; they read names like any expression.
        for (const d of node.decorators ?? []) visit(d, node, "decorators", scope);
        if (node.declare) return;
        if (node.type === "ClassDeclaration" && node.id) declare(scope, node.id.name);
        const inner: Scope = { parent: scope, names: new Set(), fn: false };
        if (node.type === "ClassExpression" && node.id) declare(inner, node.id.name);
        if (node.superClass) visit(node.superClass, node, "superClass", scope);
        for (const el of node.body.body) visit(el, node.body, "body", inner);
        return;
      }
      case "BlockStatement":
      case "StaticBlock":
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "SwitchStatement": {
        const inner: Scope = { parent: scope, names: new Set(), fn: node.type === "StaticBlock" };
        visitChildren(node, inner);
        return;
      }
      case "CatchClause": {
        const inner: Scope = { parent: scope, names: new Set(), fn: false };
        bindPattern(node.param, inner, inner);
        visitStatements(node.body.body, node.body, "body", inner);
        return;
      }
      case "TSEnumDeclaration":
      case "TSModuleDeclaration":
        if (node.declare) return; // ambient: declares a type, binds nothing at run time
        if (node.id?.type === "Identifier") declare(scope, node.id.name);
        visitChildren(node, scope);
        return;
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "TSNonNullExpression":
      case "TSTypeAssertion":
      case "TSInstantiationExpression":
        visit(node.expression, node, "expression", scope);
        return;
      default:
        if (node.type.startsWith("TS") && node.type.endsWith("Type")) return;
        if (node.type.startsWith("TSType") || node.type === "TSQualifiedName") return;
        visitChildren(node, scope);
    }
  }

  visitStatements(program.body, program, "body", moduleScope);

  return refs
    .filter((r) => {
      for (let s: Scope | null = r.scope; s; s = s.parent) if (s.names.has(r.name)) return false;
      return true;
    })
    .map(({ scope: _scope, ...r }) => {
      if (r.call) r.call.needsGuard = continuable.has(r.call.await?.start ?? r.call.start);
      return r;
    });
}

const isStatementList = (node: Node, key: string) =>
  (key === "body" && (node.type === "Program" || node.type === "BlockStatement" || node.type === "StaticBlock" || node.type === "TSModuleBlock")) ||
  (key === "consequent" && node.type === "SwitchCase");

// Statements whose last `}` closes a body, never an expression that `(` could call.
const CLOSED = new Set(["FunctionDeclaration", "ClassDeclaration", "BlockStatement", "EmptyStatement", "TSInterfaceDeclaration", "TSEnumDeclaration", "TSModuleDeclaration"]);

/** Does this statement end so that nothing on the next line can continue it? */
function endsClosed(st: Node, code: string): boolean {
  if (code.charCodeAt(st.end - 1) === 59 /* ; */) return true;
  const decl = st.type === "ExportNamedDeclaration" || st.type === "ExportDefaultDeclaration" ? st.declaration : st;
  return !!decl && CLOSED.has(decl.type) && code.charCodeAt(st.end - 1) === 125 /* } */;
}

/** Is this identifier read as a variable here (not a key, label or member name)? */
function isReference(node: Node, parent: Node | null, key: string): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case "MemberExpression":
      return key !== "property" || parent.computed;
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
    case "AccessorProperty":
    case "TSAbstractMethodDefinition":
    case "TSAbstractPropertyDefinition":
      return key === "value" ? parent.type === "Property" || parent.type === "PropertyDefinition" : key !== "key" || parent.computed;
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      return false;
    case "ExportSpecifier":
      return key === "local" && node !== parent.exported;
    case "ImportSpecifier":
    case "ImportDefaultSpecifier":
    case "ImportNamespaceSpecifier":
    case "ExportAllDeclaration":
    case "MetaProperty":
      return false;
    default:
      return true;
  }
}
