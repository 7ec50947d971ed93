// A module's text -> its `//trace:` directives with positions, or positioned errors.
//
// A directive is a `//` line comment that starts at column 1. Comments come from
// the parser, so `//trace:` inside strings, template literals and block comments,
// or an indented comment, is never a directive.
import { parseSync, type Comment } from "oxc-parser";
import { createLineMap, PositionedError, type Position } from "./errors.ts";
import { isComponentFile, parseComponent } from "./sfc/component.ts";

export interface EventParam {
  name: string;
  /** The type as written, e.g. `string` or `Map<string, Conn>`; `unknown` for an untyped parameter of a JavaScript module. */
  type: string;
  optional: boolean;
}

export interface EventDirective {
  kind: "event";
  name: string;
  params: EventParam[];
  /** File as shown in messages (relative to the root). */
  file: string;
  /** Absolute path of the declaring module. */
  path: string;
  pos: Position;
}

export interface ImportDirective {
  kind: "import";
  /** The prefix named in the directive, or null to derive it from the spec. */
  name: string | null;
  spec: string;
  file: string;
  path: string;
  pos: Position;
  /** Position of the spec string, for resolution errors. */
  specPos: Position;
}

export interface Directives {
  events: EventDirective[];
  imports: ImportDirective[];
  errors: PositionedError[];
}

// `^` with the m flag starts a line after \n, \r\n and a lone \r alike; a file may open with a BOM.
const DIRECTIVE_LINE = /^\uFEFF?\/\/trace:/m;

/** Cheap test: could this text hold a directive at all? */
export function mayHaveDirectives(code: string): boolean {
  return DIRECTIVE_LINE.test(code);
}

/** The parser's language for a file name. */
export function langOf(path: string): "ts" | "tsx" | "js" | "jsx" {
  if (/\.[cm]?tsx?$/.test(path)) return path.endsWith("x") ? "tsx" : "ts";
  return path.endsWith("x") ? "jsx" : "js";
}

/**
 * Parses a module as its file name says; a `.js` file that holds JSX (as many React projects write) is read as JSX.
 * A `.vue` or `.svelte` file is its script blocks, at their offsets in the file (src/sfc/).
 */
export function parseModule(path: string, code: string): ReturnType<typeof parseSync> {
  if (isComponentFile(path)) return parseComponent(path, code);
  const lang = langOf(path);
  const parsed = parseSync(path, code, { lang, sourceType: "module" });
  return parsed.errors.length > 0 && lang === "js" ? parseSync(path, code, { lang: "jsx", sourceType: "module" }) : parsed;
}

/** Parses a module and reads its directives. */
export function scanDirectives(path: string, file: string, code: string): Directives {
  if (!mayHaveDirectives(code)) return { events: [], imports: [], errors: [] };
  const { comments } = parseModule(path, code);
  return readDirectives(path, file, code, comments);
}

/** Reads the directives among a parsed module's comments. */
export function readDirectives(path: string, file: string, code: string, comments: Comment[]): Directives {
  const out: Directives = { events: [], imports: [], errors: [] };
  const at = createLineMap(code);
  // JavaScript users write JavaScript: there an untyped parameter is `unknown`.
  const untypedAllowed = !langOf(path).startsWith("ts");
  for (const c of comments) {
    if (c.type !== "Line" || !c.value.startsWith("trace:")) continue;
    if (!atLineStart(code, c.start)) continue; // indented: a plain comment
    const fail = (offset: number, reason: string) => out.errors.push(new PositionedError(file, at(offset), reason));
    const m = /^trace:(\S*)\s*(.*?)\s*$/.exec(c.value)!;
    const verb = m[1]!;
    const arg = m[2]!;
    const argStart = c.start + 2 + c.value.indexOf(arg, 6 + verb.length);
    if (verb !== "event" && verb !== "import") {
      fail(c.start, `unknown directive //trace:${verb} (want //trace:event or //trace:import)`);
      continue;
    }
    if (arg === "") {
      fail(c.start, `//trace:${verb} needs an argument`);
      continue;
    }
    const where = { file, path, pos: at(c.start) };
    if (verb === "event") {
      const ev = parseEventSignature(arg, untypedAllowed, (off, reason) => fail(argStart + off, reason));
      if (ev) out.events.push({ kind: "event", ...ev, ...where });
    } else {
      const imp = parseImportArg(arg, (off, reason) => fail(argStart + off, reason));
      if (imp) out.imports.push({ kind: "import", ...imp, ...where, specPos: at(argStart + imp.specOffset) });
    }
  }
  return out;
}

/** Column 1: the file's start (after a byte-order mark) or after \n or a lone \r (old Mac files). */
function atLineStart(code: string, offset: number): boolean {
  if (offset === 0) return true;
  const before = code.charCodeAt(offset - 1);
  return before === 10 || before === 13 || (offset === 1 && before === 0xfeff);
}

type Fail = (offset: number, reason: string) => void;

const SIG_PREFIX = "declare function ";
/** Characters of an event's signature: room for many typed parameters, not for a nesting that crashes the parser. */
export const MAX_SIGNATURE = 2000;

/** `traceHello(who: string, n?: number)` -> name and parameters; errors at offsets into `sig`. */
function parseEventSignature(sig: string, untypedAllowed: boolean, fail: Fail): { name: string; params: EventParam[] } | null {
  // Any JS identifier: an ASCII-only pattern would cut traceÜmlaut to "trace".
  const name = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*/u.exec(sig)?.[0];
  if (!name) return fail(0, `event: want a call signature like traceName(arg: type), have "${sig}"`), null;
  if (!name.startsWith("trace")) return fail(0, `event name ${name} must start with "trace"`), null;
  // oxc-parser recurses on nested types on the native stack and kills the process
  // (SIGSEGV) past a few thousand levels; bounded text bounds the nesting.
  if (sig.length > MAX_SIGNATURE) {
    return fail(0, `event ${name}: the signature has ${sig.length} characters, more than the ${MAX_SIGNATURE} a directive may have (name a type declared in a .ts module instead)`), null;
  }
  const text = `${SIG_PREFIX}${sig};`;
  const { program, errors } = parseSync("signature.ts", text, { lang: "ts", sourceType: "module" });
  const decl = program.body[0] as any;
  const off = (node: { start: number }) => Math.max(0, node.start - SIG_PREFIX.length);
  if (errors.length > 0 && program.body.length === 1 && decl?.type === "TSDeclareFunction" && decl.id?.name === name && !decl.body) {
    // A signature that parses but TypeScript rejects (a required parameter after an
    // optional one): the parser says why, at the parameter.
    const [e] = errors;
    const why = e!.message.replace(/\.$/, "");
    return fail(off({ start: e!.labels?.[0]?.start ?? SIG_PREFIX.length }), `event ${name}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`), null;
  }
  if (errors.length > 0 || program.body.length !== 1 || decl?.type !== "TSDeclareFunction" || decl.id?.name !== name) {
    return fail(0, `event: ${sig} is not a call signature like ${name}(arg: type)`), null;
  }
  if (decl.typeParameters) return fail(off(decl.typeParameters), `event ${name}: type parameters are not allowed`), null;
  if (decl.returnType && decl.returnType.typeAnnotation.type !== "TSVoidKeyword") {
    return fail(off(decl.returnType.typeAnnotation), `event ${name}: return type must be void`), null;
  }
  const params: EventParam[] = [];
  for (const p of decl.params as any[]) {
    if (p.type === "TSParameterProperty") return fail(off(p), `event ${name}: parameter modifiers are not allowed`), null;
    if (p.type === "AssignmentPattern") return fail(off(p), `event ${name}: parameter ${p.left?.name ?? ""} has a default value; defaults are not allowed`), null;
    if (p.type === "RestElement") return fail(off(p), `event ${name}: rest parameters are not allowed`), null;
    if (p.type !== "Identifier") return fail(off(p), `event ${name}: parameter must be a plain name, not a destructuring pattern`), null;
    if (p.name === "this") return fail(off(p), `event ${name}: a this parameter is not allowed (probes get the arguments only)`), null;
    if (!p.typeAnnotation && !untypedAllowed) return fail(off(p), `event ${name}: parameter ${p.name} needs a type (${p.name}: T)`), null;
    if (params.some((q) => q.name === p.name)) return fail(off(p), `event ${name}: parameter ${p.name} declared twice`), null;
    const t = p.typeAnnotation?.typeAnnotation;
    params.push({ name: p.name, type: t ? text.slice(t.start, t.end) : "unknown", optional: !!p.optional });
  }
  return { name, params };
}

/** `"spec"` or `name "spec"`. */
function parseImportArg(arg: string, fail: Fail): { name: string | null; spec: string; specOffset: number } | null {
  const m = /^(?:([A-Za-z_$][\w$]*)\s+)?("(?:[^"\\]|\\.)*")$/.exec(arg);
  if (!m) return fail(0, `import: want "spec" or name "spec", have ${arg}`), null;
  const specOffset = arg.length - m[2]!.length;
  let spec: string;
  try {
    spec = JSON.parse(m[2]!) as string;
  } catch {
    return fail(specOffset, `import: malformed string ${m[2]}`), null;
  }
  if (spec.trim() === "") return fail(specOffset, `import: empty spec`), null;
  return { name: m[1] ?? null, spec, specOffset };
}
