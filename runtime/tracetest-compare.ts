// Equality, formatting and diffs of events for `tracetest`. Plain code that runs in
// Node and in browsers alike: no `node:util`, so values are formatted here.
//
// Reports are built from timers, after a failure, about values the test does not
// own: nothing here may run user code or throw. Properties are read through their
// descriptors (a getter shows as `[Getter]`, it is never called), Map, Set, Date and
// RegExp through the built-in prototypes, proxies are not opened (Node tells them
// apart; elsewhere a trap that throws shows as `[Unreadable]`), and every text is
// bounded in length.

const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
/** Characters of a value's text in a report line, unless the caller gives a limit. */
export const MAX_TEXT = 10_000;

const { getPrototypeOf, getOwnPropertyDescriptor } = Object;
const { ownKeys } = Reflect;
const isEnumerable = Object.prototype.propertyIsEnumerable;
const mapEntries = Map.prototype.entries;
const mapHas = Map.prototype.has;
const mapGet = Map.prototype.get;
const mapSize = getOwnPropertyDescriptor(Map.prototype, "size")!.get!;
const setValues = Set.prototype.values;
const setHas = Set.prototype.has;
const setSize = getOwnPropertyDescriptor(Set.prototype, "size")!.get!;
const dateTime = Date.prototype.getTime;
const dateIso = Date.prototype.toISOString;
const reSource = getOwnPropertyDescriptor(RegExp.prototype, "source")!.get!;
const reFlags = getOwnPropertyDescriptor(RegExp.prototype, "flags")!.get!;
const boxedString = String.prototype.valueOf;
const boxedNumber = Number.prototype.valueOf;
const boxedBoolean = Boolean.prototype.valueOf;
const isProxy: (v: unknown) => boolean = (() => {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const util = proc?.getBuiltinModule?.("node:util") as { types?: { isProxy?: (v: unknown) => boolean } } | undefined;
    return util?.types?.isProxy ?? (() => false);
  } catch {
    return () => false;
  }
})();

/**
 * The name a report uses for an event's type: the class name for objects
 * (`Object` for plain ones), `null`, or `typeof` for other primitives.
 */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object" && typeof v !== "function") return typeof v;
  if (isProxy(v)) return "Proxy";
  try {
    const proto = getPrototypeOf(v) as object | null;
    if (proto === null) return "Object";
    const ctor = dataValue(proto, "constructor");
    const name = typeof ctor === "function" ? dataValue(ctor, "name") : undefined;
    return typeof name === "string" && name !== "" ? name : "Object";
  } catch {
    return "Object";
  }
}

/** Same class (prototype) for objects, same `typeof` for primitives. */
export function sameType(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a !== "object") return true;
  if (isProxy(a) || isProxy(b)) return a === b;
  try {
    return getPrototypeOf(a) === getPrototypeOf(b);
  } catch {
    return false;
  }
}

/** An event as reports show it: `Hello { who: "JP" }`, `string "x"`, `null`; at most `limit` characters. */
export function describe(v: unknown, limit = MAX_TEXT): string {
  if (v === null || v === undefined) return String(v);
  return clipText(`${typeName(v)} ${formatValue(v, limit)}`, limit);
}

/** A value without its top-level type: `{ who: "JP" }`, `"x"`, `[1, 2]`; at most about `limit` characters. */
export function formatValue(v: unknown, limit = MAX_TEXT): string {
  return clipText(format(v, 0, new Set(), { left: limit }), limit);
}

/** Deep equality: same types all the way down, values compared as a user reads them. */
export function deepEqual(a: unknown, b: unknown): boolean {
  try {
    return equal(a, b, new Map());
  } catch {
    return false;
  }
}

/**
 * The differences between `want` and `have`, one line each: the path, then the
 * wanted and the received value (`.who: -"JP" +"XX"`); for two values that differ
 * as a whole, a `-want` and a `+have` line. Empty when equal.
 */
export function diff(want: unknown, have: unknown): string[] {
  const out: string[] = [];
  try {
    walkDiff(want, have, "", out, new Set());
  } catch {
    out.push(`-${show(want)}`, `+${show(have)}`);
  }
  return out;
}

// --- internals ----------------------------------------------------------------

interface Budget {
  left: number;
}

function clipText(s: string, limit: number): string {
  return s.length <= limit ? s : `${s.slice(0, Math.max(0, limit - 1))}…`;
}

function format(v: unknown, depth: number, seen: Set<object>, budget: Budget): string {
  if (budget.left <= 0) return "…";
  const s = formatOne(v, depth, seen, budget);
  budget.left -= s.length;
  return s;
}

function formatOne(v: unknown, depth: number, seen: Set<object>, budget: Budget): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > budget.left ? `${v.slice(0, Math.max(0, budget.left))}…` : v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return `Symbol(${clipText(v.description ?? "", 100)})`;
    case "function": {
      const name = dataValue(v, "name");
      return `[Function${typeof name === "string" && name ? ` ${clipText(name, 100)}` : ""}]`;
    }
    case "object":
      break;
    default:
      return String(v);
  }
  if (v === null) return "null";
  if (isProxy(v)) return "[Proxy]";
  if (seen.has(v)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[…]";
  try {
    const boxed = unbox(v);
    if (boxed !== undefined) return formatOne(boxed.value, depth, seen, budget);
    if (v instanceof Date) {
      const t = dateTime.call(v);
      return Number.isNaN(t) ? "Invalid Date" : dateIso.call(v);
    }
    if (v instanceof RegExp) return `/${reSource.call(v)}/${reFlags.call(v)}`;
    seen.add(v);
    try {
      const inner = (x: unknown) => {
        const s = format(x, depth + 1, seen, budget);
        // nested class instances keep their name so `{ a: Job { id: 1 } }` stays clear
        return x !== null && typeof x === "object" && !isProxy(x) && !Array.isArray(x) && unbox(x) === undefined && typeName(x) !== "Object" ? `${typeName(x)} ${s}` : s;
      };
      if (ArrayBuffer.isView(v)) {
        const a = v as unknown as ArrayLike<unknown>;
        const n = "length" in a ? Math.min(a.length, MAX_ITEMS + 1) : 0;
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(inner(a[i]));
        return `[${list(items, "length" in a ? a.length : 0)}]`;
      }
      if (v instanceof Map) {
        const items: string[] = [];
        for (const [k, x] of mapEntries.call(v)) {
          if (items.length > MAX_ITEMS || budget.left <= 0) break;
          items.push(`${inner(k)} => ${inner(x)}`);
        }
        return `{${pad(list(items, mapSize.call(v) as number))}}`;
      }
      if (v instanceof Set) {
        const items: string[] = [];
        for (const x of setValues.call(v)) {
          if (items.length > MAX_ITEMS || budget.left <= 0) break;
          items.push(inner(x));
        }
        return `{${pad(list(items, setSize.call(v) as number))}}`;
      }
      const keys = enumerableKeys(v);
      if (Array.isArray(v)) {
        const items: string[] = [];
        for (const k of keys) {
          if (items.length > MAX_ITEMS || budget.left <= 0) break;
          items.push(typeof k === "string" && /^\d+$/.test(k) ? ownValueText(v, k, inner) : `${formatKey(k)}: ${ownValueText(v, k, inner)}`);
        }
        return `[${list(items, keys.length)}]`;
      }
      const parts: string[] = [];
      for (const k of keys) {
        if (parts.length > MAX_ITEMS || budget.left <= 0) break;
        parts.push(`${formatKey(k)}: ${ownValueText(v, k, inner)}`);
      }
      if (v instanceof Error && parts.length === 0) {
        const message = dataValue(v, "message");
        if (typeof message === "string") parts.push(`message: ${JSON.stringify(clipText(message, 1000))}`);
      }
      return `{${pad(list(parts, keys.length))}}`;
    } finally {
      seen.delete(v);
    }
  } catch {
    return "[Unreadable]";
  }
}

/** The primitive inside a String, Number or Boolean object (or a subclass): `class Hi extends String`. */
function unbox(v: object): { value: unknown } | undefined {
  try {
    if (v instanceof String) return { value: boxedString.call(v) };
    if (v instanceof Number) return { value: boxedNumber.call(v) };
    if (v instanceof Boolean) return { value: boxedBoolean.call(v) };
  } catch {
    // not really one (a forged prototype chain)
  }
  return undefined;
}

/** An own property's value as text, without calling a getter. */
function ownValueText(o: object, k: PropertyKey, inner: (x: unknown) => string): string {
  const d = getOwnPropertyDescriptor(o, k);
  if (d === undefined) return "undefined";
  if (!("value" in d)) return d.get ? (d.set ? "[Getter/Setter]" : "[Getter]") : "[Setter]";
  return inner(d.value);
}

/** A data property's value looked up along the prototype chain; accessors give undefined. */
function dataValue(o: object, k: PropertyKey): unknown {
  try {
    for (let p: object | null = o, hops = 0; p !== null && hops < 32; p = getPrototypeOf(p), hops++) {
      if (isProxy(p)) return undefined;
      const d = getOwnPropertyDescriptor(p, k);
      if (d !== undefined) return "value" in d ? d.value : undefined;
    }
  } catch {
    // a revoked proxy on the chain
  }
  return undefined;
}

function list(items: string[], total: number): string {
  const shown = items.slice(0, MAX_ITEMS);
  if (total > shown.length) shown.push(`… ${total - shown.length} more`);
  return shown.join(", ");
}

function pad(s: string): string {
  return s === "" ? "" : ` ${s} `;
}

function enumerableKeys(o: object): PropertyKey[] {
  return ownKeys(o).filter((k) => isEnumerable.call(o, k));
}

function formatKey(key: PropertyKey): string {
  if (typeof key === "symbol") return `[${String(key)}]`;
  const k = String(key);
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(clipText(k, 200));
}

function pathOf(path: string, key: PropertyKey): string {
  if (typeof key === "symbol") return `${path}[${String(key)}]`;
  const k = String(key);
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(clipText(k, 200))}]`;
}

function isObject(v: unknown): v is object {
  return v !== null && typeof v === "object";
}

/** An own property for comparison: its value, or its accessor pair (compared by identity, never called). */
function slot(o: object, k: PropertyKey): unknown {
  const d = getOwnPropertyDescriptor(o, k);
  if (d === undefined) return undefined;
  return "value" in d ? d.value : new Accessor(d.get, d.set);
}

class Accessor {
  constructor(
    readonly get: unknown,
    readonly set: unknown,
  ) {}
}

// `memo` remembers pairs under comparison so cyclic values terminate.
function equal(a: unknown, b: unknown, memo: Map<object, Set<object>>): boolean {
  if (a === b || (a !== a && b !== b)) return true;
  if (a instanceof Accessor || b instanceof Accessor) {
    return a instanceof Accessor && b instanceof Accessor && a.get === b.get && a.set === b.set;
  }
  if (!isObject(a) || !isObject(b) || !sameType(a, b)) return false;
  if (isProxy(a) || isProxy(b)) return false;
  let pairs = memo.get(a);
  if (pairs?.has(b)) return true;
  if (!pairs) memo.set(a, (pairs = new Set()));
  pairs.add(b);
  const ua = unbox(a);
  if (ua !== undefined) return Object.is(ua.value, unbox(b)?.value);
  if (a instanceof Date) return Object.is(dateTime.call(a), dateTime.call(b as Date));
  if (a instanceof RegExp) return reSource.call(a) === reSource.call(b) && reFlags.call(a) === reFlags.call(b);
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>, y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (mapSize.call(a) !== mapSize.call(m)) return false;
    for (const [k, v] of mapEntries.call(a)) if (!mapHas.call(m, k) || !equal(v, mapGet.call(m, k), memo)) return false;
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    if (setSize.call(a) !== setSize.call(s)) return false;
    // members match by identity first, then by value
    for (const v of setValues.call(a)) {
      if (setHas.call(s, v)) continue;
      let found = false;
      for (const w of setValues.call(s)) if (equal(v, w, memo)) (found = true);
      if (!found) return false;
    }
  }
  const ka = enumerableKeys(a), kb = enumerableKeys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!isEnumerable.call(b, k)) return false;
    if (!equal(slot(a, k), slot(b, k), memo)) return false;
  }
  return true;
}

function walkDiff(want: unknown, have: unknown, path: string, out: string[], seen: Set<object>): void {
  if (out.length > MAX_ITEMS) return;
  if (deepEqual(want, have)) return;
  const whole =
    !isObject(want) || !isObject(have) || !sameType(want, have) || isProxy(want) || isProxy(have) || seen.has(want) ||
    want instanceof Accessor || unbox(want) !== undefined || want instanceof Date || want instanceof Set || want instanceof RegExp || ArrayBuffer.isView(want);
  if (whole) {
    if (path === "") out.push(`-${show(want)}`, `+${show(have)}`);
    else out.push(`${path}: -${show(want)} +${show(have)}`);
    return;
  }
  seen.add(want);
  const isMap = want instanceof Map;
  const get = (o: object, k: unknown) => (isMap ? mapGet.call(o as Map<unknown, unknown>, k) : slot(o, k as PropertyKey));
  const has = (o: object, k: unknown) => (isMap ? mapHas.call(o as Map<unknown, unknown>, k) : isEnumerable.call(o, k as PropertyKey));
  const keys = (o: object): unknown[] => (isMap ? [...mapEntries.call(o as Map<unknown, unknown>)].map((e) => e[0]) : enumerableKeys(o));
  const all = [...new Set([...keys(want), ...keys(have)])];
  for (const k of all) {
    const p = isMap ? `${path}.get(${formatValue(k, 200)})` : Array.isArray(want) && typeof k === "string" && /^\d+$/.test(k) ? `${path}[${k}]` : pathOf(path, k as PropertyKey);
    if (!has(have, k)) out.push(`${p}: -${show(get(want, k))} +<missing>`);
    else if (!has(want, k)) out.push(`${p}: -<missing> +${show(get(have, k))}`);
    else walkDiff(get(want, k), get(have, k), p, out, seen);
  }
  seen.delete(want);
}

function show(v: unknown): string {
  if (v instanceof Accessor) return v.get ? "[Getter]" : "[Setter]";
  if (isObject(v) && isProxy(v)) return "[Proxy]";
  return isObject(v) && !Array.isArray(v) && unbox(v) === undefined && typeName(v) !== "Object" ? describe(v, 1000) : formatValue(v, 1000);
}
