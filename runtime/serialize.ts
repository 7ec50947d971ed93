// Safe serialisation of trace arguments into JSON-able values, for the recorder.
//
// An observer must not change what it observes, so this never runs user code it
// can avoid: accessor properties are shown as "[Getter]" instead of being called,
// Map and Set contents are read through the built-in prototypes (not overridable
// methods), toString/toJSON are never called. Proxy traps can still run; every
// read is guarded, and `serialize` never throws. All output is bounded: depth,
// string length, array length, keys per object and a total node budget.

/** A value `JSON.stringify` writes back unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Bounds for `serialize`; every field has a default. */
export interface SerializeOptions {
  /** Nesting depth kept; deeper objects become `"[ClassName]"`. @default 4 */
  maxDepth?: number;
  /** Characters kept of a string; the rest is replaced by `…(+N)`. @default 200 */
  maxString?: number;
  /** Items kept of an array, Set, Map or typed array. @default 20 */
  maxArray?: number;
  /** Own keys kept per object. @default 20 */
  maxKeys?: number;
  /** Values serialised in total per call; later ones become `"[…]"`. @default 500 */
  maxNodes?: number;
}

/** The key that carries a non-plain object's class name, e.g. `{ "$class": "Conn", ... }`. */
export const CLASS_KEY = "$class";

interface Ctx {
  depth: number;
  str: number;
  arr: number;
  keys: number;
  nodes: number;
  /** objects on the current path, to cut cycles (shared subtrees are fine); made at the first object */
  path: Set<object> | null;
}

const { getPrototypeOf, getOwnPropertyDescriptor, keys: objectKeys } = Object;
const mapEntries = Map.prototype.entries;
const mapSize = getOwnPropertyDescriptor(Map.prototype, "size")!.get!;
const setValues = Set.prototype.values;
const setSize = getOwnPropertyDescriptor(Set.prototype, "size")!.get!;
const dateTime = Date.prototype.getTime;
const dateIso = Date.prototype.toISOString;
const TypedArray = getPrototypeOf(Uint8Array) as abstract new () => ArrayLike<number | bigint>;
const typedLength = getOwnPropertyDescriptor(TypedArray.prototype, "length")!.get!;

/** Serialises one value within the bounds; never throws. */
export function serialize(value: unknown, options?: SerializeOptions): Json {
  return walk(value, 0, context(options));
}

/**
 * Serialises an argument list into an object keyed by parameter name (extra
 * arguments get `arg<i>`); the bounds apply to the whole list. Never throws.
 */
export function serializeArgs(args: readonly unknown[], names: readonly string[], options?: SerializeOptions): { [key: string]: Json } {
  const ctx = context(options);
  const out: { [key: string]: Json } = {};
  for (let i = 0; i < args.length; i++) put(out, names[i] ?? `arg${i}`, walk(args[i], 1, ctx));
  return out;
}

/**
 * Sets an own property, also one named `__proto__` (as `JSON.parse` makes them):
 * plain assignment would set the prototype instead and lose the key.
 */
function put(out: { [key: string]: Json }, k: string, v: Json): void {
  if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function context(o: SerializeOptions | undefined): Ctx {
  return {
    depth: o?.maxDepth ?? 4,
    str: o?.maxString ?? 200,
    arr: o?.maxArray ?? 20,
    keys: o?.maxKeys ?? 20,
    nodes: o?.maxNodes ?? 500,
    path: null,
  };
}

function walk(v: unknown, depth: number, ctx: Ctx): Json {
  if (ctx.nodes-- <= 0) return "[…]";
  try {
    switch (typeof v) {
      case "string":
        return clip(v, ctx.str);
      case "number":
        return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : String(v);
      case "boolean":
        return v;
      case "undefined":
        return "[undefined]";
      case "bigint":
        return `${v}n`;
      case "symbol":
        return `[Symbol(${clip(v.description ?? "", ctx.str)})]`;
      case "function":
        return `[Function ${functionName(v) || "(anonymous)"}]`;
    }
    if (v === null) return null;
    return walkObject(v as object, depth, ctx);
  } catch {
    // A revoked proxy or a throwing trap: say so instead of failing the record.
    return "[Unserializable]";
  }
}

function walkObject(o: object, depth: number, ctx: Ctx): Json {
  if (ctx.path !== null && ctx.path.has(o)) return "[Circular]";
  // Plain objects, the common argument, skip the class lookup and the type tests.
  const proto = getPrototypeOf(o);
  if ((proto === Object.prototype || proto === null) && !Array.isArray(o)) {
    if (depth >= ctx.depth) return "[Object]";
    const path = (ctx.path ??= new Set());
    path.add(o);
    try {
      return plain(o, undefined, depth, ctx);
    } finally {
      path.delete(o);
    }
  }
  const cls = className(o);
  if (Array.isArray(o)) {
    if (depth >= ctx.depth) return `[Array(${o.length})]`;
    return nested(o, ctx, () => list(o.length, ctx, (push) => {
      for (let i = 0; i < o.length && push(); i++) push(walk(dataValue(o, i), depth + 1, ctx));
    }));
  }
  if (o instanceof Date) {
    const t = dateTime.call(o);
    return Number.isNaN(t) ? "[Invalid Date]" : dateIso.call(o);
  }
  if (o instanceof RegExp) return clip(`/${o.source}/${o.flags}`, ctx.str);
  if (o instanceof Error) return error(o, cls, depth, ctx);
  if (depth >= ctx.depth) return `[${cls}]`;
  if (o instanceof Map) {
    return nested(o, ctx, () => {
      const entries: Json[] = [];
      const size = mapSize.call(o) as number;
      let n = 0;
      for (const [k, val] of mapEntries.call(o)) {
        if (n++ >= ctx.arr) break;
        entries.push([walk(k, depth + 1, ctx), walk(val, depth + 1, ctx)]);
      }
      if (size > ctx.arr) entries.push(`… ${size - ctx.arr} more`);
      return { [CLASS_KEY]: cls, size, entries };
    });
  }
  if (o instanceof Set) {
    return nested(o, ctx, () => {
      const values: Json[] = [];
      const size = setSize.call(o) as number;
      let n = 0;
      for (const val of setValues.call(o)) {
        if (n++ >= ctx.arr) break;
        values.push(walk(val, depth + 1, ctx));
      }
      if (size > ctx.arr) values.push(`… ${size - ctx.arr} more`);
      return { [CLASS_KEY]: cls, size, values };
    });
  }
  if (o instanceof TypedArray) {
    const length = typedLength.call(o) as number;
    const a = o as ArrayLike<number | bigint>;
    const values = list(length, ctx, (push) => {
      for (let i = 0; i < length && push(); i++) push(walk(a[i], depth + 1, ctx));
    });
    return { [CLASS_KEY]: cls, length, values };
  }
  if (o instanceof ArrayBuffer) return { [CLASS_KEY]: cls, byteLength: o.byteLength };
  if (o instanceof Promise || o instanceof WeakMap || o instanceof WeakSet || o instanceof WeakRef) return `[${cls}]`;
  return nested(o, ctx, () => plain(o, cls === "Object" ? undefined : cls, depth, ctx));
}

/** An object's own enumerable string keys and their values (getters not called), under `$class` if given. */
function plain(o: object, cls: string | undefined, depth: number, ctx: Ctx): Json {
  const out: { [key: string]: Json } = {};
  if (cls !== undefined) out[CLASS_KEY] = cls;
  const ks = objectKeys(o);
  const n = Math.min(ks.length, ctx.keys);
  for (let i = 0; i < n; i++) {
    const k = ks[i]!;
    put(out, clip(k, ctx.str), property(o, k, depth, ctx));
  }
  if (ks.length > n) out["…"] = `${ks.length - n} more keys`;
  return out;
}

function error(e: Error, cls: string, depth: number, ctx: Ctx): Json {
  const out: { [key: string]: Json } = { [CLASS_KEY]: cls };
  const name = dataValue(e, "name");
  if (typeof name === "string" && name !== cls) out.name = clip(name, ctx.str);
  const message = dataValue(e, "message");
  out.message = typeof message === "string" ? clip(message, ctx.str) : walk(message, depth + 1, ctx);
  const stack = dataValue(e, "stack");
  if (typeof stack === "string") out.stack = clip(stack, ctx.str * 4);
  if (depth < ctx.depth && getOwnPropertyDescriptor(e, "cause")) {
    const path = (ctx.path ??= new Set());
    path.add(e);
    out.cause = property(e, "cause", depth, ctx);
    path.delete(e);
  }
  return out;
}

/** Runs `fn` with `o` on the path, so a cycle back to it shows as "[Circular]". */
function nested(o: object, ctx: Ctx, fn: () => Json): Json {
  const path = (ctx.path ??= new Set());
  path.add(o);
  try {
    return fn();
  } finally {
    path.delete(o);
  }
}

/** Collects up to maxArray items; `push()` with no argument asks whether there is room. */
function list(length: number, ctx: Ctx, fill: (push: (v?: Json) => boolean) => void): Json[] {
  const out: Json[] = [];
  fill((v) => {
    if (v !== undefined) out.push(v);
    return out.length < ctx.arr;
  });
  if (length > out.length) out.push(`… ${length - out.length} more`);
  return out;
}

/** An own property's value, without calling a getter. */
function property(o: object, k: string, depth: number, ctx: Ctx): Json {
  try {
    const d = getOwnPropertyDescriptor(o, k);
    if (d === undefined) return "[undefined]";
    if (!("value" in d)) return d.set && !d.get ? "[Setter]" : "[Getter]";
    return walk(d.value, depth + 1, ctx);
  } catch {
    return "[Unserializable]";
  }
}

/** A data property's value looked up along the prototype chain; accessors give undefined. */
function dataValue(o: object, k: PropertyKey): unknown {
  for (let p: object | null = o, hops = 0; p !== null && hops < 32; p = getPrototypeOf(p), hops++) {
    const d = getOwnPropertyDescriptor(p, k);
    if (d !== undefined) return "value" in d ? d.value : undefined;
  }
  return undefined;
}

/** The constructor's name read from the prototype, without running getters. */
function className(o: object): string {
  try {
    const proto = getPrototypeOf(o);
    if (proto === null) return "Object";
    const ctor = dataValue(proto, "constructor");
    const name = typeof ctor === "function" ? functionName(ctor) : "";
    return name || "Object";
  } catch {
    return "Object";
  }
}

function functionName(f: Function): string {
  const d = getOwnPropertyDescriptor(f, "name");
  return d !== undefined && typeof d.value === "string" ? d.value : "";
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…(+${s.length - max})`;
}
