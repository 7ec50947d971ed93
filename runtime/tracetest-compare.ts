// Equality, formatting and diffs of events for `tracetest`. Plain code that runs in
// Node and in browsers alike: no `node:util`, so values are formatted here.

const MAX_DEPTH = 6;
const MAX_ITEMS = 50;

/**
 * The name a report uses for an event's type: the class name for objects
 * (`Object` for plain ones), `null`, or `typeof` for other primitives.
 */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object" && typeof v !== "function") return typeof v;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  if (proto === null) return "Object";
  return proto.constructor?.name || "Object";
}

/** Same class (prototype) for objects, same `typeof` for primitives. */
export function sameType(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a !== "object") return true;
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b);
}

/** An event as reports show it: `Hello { who: "JP" }`, `string "x"`, `null`. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return `${typeName(v)} ${formatValue(v)}`;
}

/** A value without its top-level type: `{ who: "JP" }`, `"x"`, `[1, 2]`. */
export function formatValue(v: unknown, depth = 0, seen: Set<object> = new Set()): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "function":
      return `[Function${v.name ? ` ${v.name}` : ""}]`;
    case "object":
      break;
    default:
      return String(v);
  }
  if (v === null) return "null";
  if (seen.has(v)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[…]";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (v instanceof RegExp) return String(v);
  seen.add(v);
  try {
    const inner = (x: unknown) => {
      const s = formatValue(x, depth + 1, seen);
      // nested class instances keep their name so `{ a: Job { id: 1 } }` stays clear
      return x !== null && typeof x === "object" && typeName(x) !== "Object" && !Array.isArray(x) ? `${typeName(x)} ${s}` : s;
    };
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const items = Array.from(v as ArrayLike<unknown>);
      return `[${list(items.map(inner))}]`;
    }
    if (v instanceof Map) return `{${pad(list([...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`)))}}`;
    if (v instanceof Set) return `{${pad(list([...v].map(inner)))}}`;
    const parts = ownKeys(v).map((k) => `${formatKey(k)}: ${inner((v as Record<PropertyKey, unknown>)[k])}`);
    if (v instanceof Error && !parts.length) parts.push(`message: ${JSON.stringify(v.message)}`);
    return `{${pad(list(parts))}}`;
  } finally {
    seen.delete(v);
  }
}

/** Deep equality: same types all the way down, values compared as a user reads them. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, new Map());
}

/**
 * The differences between `want` and `have`, one line each: the path, then the
 * wanted and the received value (`.who: -"JP" +"XX"`). Empty when equal.
 */
export function diff(want: unknown, have: unknown): string[] {
  const out: string[] = [];
  walkDiff(want, have, "", out, new Set());
  return out;
}

// --- internals ----------------------------------------------------------------

function list(items: string[]): string {
  if (items.length > MAX_ITEMS) return [...items.slice(0, MAX_ITEMS), `… ${items.length - MAX_ITEMS} more`].join(", ");
  return items.join(", ");
}

function pad(s: string): string {
  return s === "" ? "" : ` ${s} `;
}

function ownKeys(o: object): PropertyKey[] {
  return Reflect.ownKeys(o).filter((k) => Object.prototype.propertyIsEnumerable.call(o, k));
}

function formatKey(k: PropertyKey): string {
  if (typeof k === "symbol") return `[${String(k)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(k as string) ? (k as string) : JSON.stringify(k);
}

function pathOf(path: string, k: PropertyKey): string {
  if (typeof k === "symbol") return `${path}[${String(k)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(k as string) ? `${path}.${k as string}` : `${path}[${JSON.stringify(k)}]`;
}

function isObject(v: unknown): v is object {
  return v !== null && typeof v === "object";
}

// `memo` remembers pairs under comparison so cyclic values terminate.
function equal(a: unknown, b: unknown, memo: Map<object, Set<object>>): boolean {
  if (a === b || (a !== a && b !== b)) return true;
  if (!isObject(a) || !isObject(b) || !sameType(a, b)) return false;
  let pairs = memo.get(a);
  if (pairs?.has(b)) return true;
  if (!pairs) memo.set(a, (pairs = new Set()));
  pairs.add(b);
  if (a instanceof Date) return Object.is((a as Date).getTime(), (b as Date).getTime());
  if (a instanceof RegExp) return String(a) === String(b);
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>, y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equal(x[i], y[i], memo)) return false;
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    for (const [k, v] of a) if (!m.has(k) || !equal(v, m.get(k), memo)) return false;
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    if (a.size !== s.size) return false;
    // members match by identity first, then by value
    for (const v of a) if (!s.has(v) && ![...s].some((w) => equal(v, w, memo))) return false;
  }
  const ka = ownKeys(a), kb = ownKeys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    if (!equal((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k], memo)) return false;
  }
  return true;
}

function walkDiff(want: unknown, have: unknown, path: string, out: string[], seen: Set<object>): void {
  if (deepEqual(want, have)) return;
  const where = path || "(value)";
  if (!isObject(want) || !isObject(have) || !sameType(want, have) || seen.has(want) || want instanceof Date || want instanceof Set) {
    out.push(`${where}: -${show(want)} +${show(have)}`);
    return;
  }
  seen.add(want);
  const get = (o: object, k: PropertyKey) => (o instanceof Map ? o.get(k) : (o as Record<PropertyKey, unknown>)[k]);
  const has = (o: object, k: PropertyKey) => (o instanceof Map ? o.has(k) : Object.prototype.propertyIsEnumerable.call(o, k));
  const keys = (o: object): PropertyKey[] => (o instanceof Map ? [...o.keys()] as PropertyKey[] : ownKeys(o));
  const all = [...new Set([...keys(want), ...keys(have)])];
  for (const k of all) {
    const p = want instanceof Map ? `${path}.get(${formatValue(k)})` : Array.isArray(want) && typeof k === "string" && /^\d+$/.test(k) ? `${path}[${k}]` : pathOf(path, k);
    if (!has(have, k)) out.push(`${p}: -${show(get(want, k))} +<missing>`);
    else if (!has(want, k)) out.push(`${p}: -<missing> +${show(get(have, k))}`);
    else walkDiff(get(want, k), get(have, k), p, out, seen);
  }
  seen.delete(want);
}

function show(v: unknown): string {
  return isObject(v) && typeName(v) !== "Object" && !Array.isArray(v) ? describe(v) : formatValue(v);
}
