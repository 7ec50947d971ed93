import { describe, expect, it } from "vitest";
import { serialize, serializeArgs } from "../../runtime/serialize.ts";

class Conn {
  id = 7;
  constructor(public addr: string) {}
}

describe("serialize", () => {
  it("keeps JSON values and names what JSON cannot hold", () => {
    expect(serialize({ a: 1, b: "x", c: true, d: null, e: [1, 2] })).toEqual({ a: 1, b: "x", c: true, d: null, e: [1, 2] });
    expect(serialize(undefined)).toBe("[undefined]");
    expect(serialize(NaN)).toBe("NaN");
    expect(serialize(-Infinity)).toBe("-Infinity");
    expect(serialize(-0)).toBe(0);
    expect(serialize(12345678901234567890n)).toBe("12345678901234567890n");
    expect(serialize(Symbol("tok"))).toBe("[Symbol(tok)]");
    expect(serialize(function handler() {})).toBe("[Function handler]");
    expect(serialize(() => {})).toBe("[Function (anonymous)]");
    expect(serialize(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
    expect(serialize(new Date(NaN))).toBe("[Invalid Date]");
    expect(serialize(/a+b/gi)).toBe("/a+b/gi");
    expect(serialize(Promise.resolve(1))).toBe("[Promise]");
  });

  it("keeps class names, Map and Set contents, typed arrays and errors", () => {
    expect(serialize(new Conn("h:1"))).toEqual({ $class: "Conn", id: 7, addr: "h:1" });
    expect(serialize(Object.create(null))).toEqual({});
    expect(serialize(new Map<unknown, unknown>([["k", 1], [{ o: 1 }, [2]]]))).toEqual({ $class: "Map", size: 2, entries: [["k", 1], [{ o: 1 }, [2]]] });
    expect(serialize(new Set([1, "a"]))).toEqual({ $class: "Set", size: 2, values: [1, "a"] });
    expect(serialize(new Uint8Array([1, 2, 3]))).toEqual({ $class: "Uint8Array", length: 3, values: [1, 2, 3] });
    expect(serialize(new BigInt64Array([5n]))).toEqual({ $class: "BigInt64Array", length: 1, values: ["5n"] });
    expect(serialize(new ArrayBuffer(8))).toEqual({ $class: "ArrayBuffer", byteLength: 8 });
    const err = serialize(new TypeError("boom", { cause: new Error("root") })) as Record<string, any>;
    expect(err).toMatchObject({ $class: "TypeError", message: "boom", cause: { $class: "Error", message: "root" } });
    expect(err.stack).toMatch(/^TypeError: boom/);
  });

  it("bounds depth, strings, arrays, keys and total size", () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(serialize(deep, { maxDepth: 2 })).toEqual({ a: { b: "[Object]" } });
    expect(serialize([[[1]]], { maxDepth: 1 })).toEqual(["[Array(1)]"]);
    expect(serialize("x".repeat(300), { maxString: 10 })).toBe(`${"x".repeat(10)}…(+290)`);
    expect(serialize(Array.from({ length: 30 }, (_, i) => i), { maxArray: 3 })).toEqual([0, 1, 2, "… 27 more"]);
    expect(serialize(new Set([1, 2, 3, 4]), { maxArray: 2 })).toEqual({ $class: "Set", size: 4, values: [1, 2, "… 2 more"] });
    expect(serialize({ a: 1, b: 2, c: 3 }, { maxKeys: 2 })).toEqual({ a: 1, b: 2, "…": "1 more keys" });
    const wide = Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => 1));
    const s = JSON.stringify(serialize(wide, { maxNodes: 20 }));
    expect(s.match(/1/g)!.length).toBeLessThan(20);
    expect(s).toContain("[…]");
  });

  it("cuts cycles but repeats shared objects", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    const shared = { s: 1 };
    expect(serialize(a)).toEqual({ name: "a", self: "[Circular]" });
    expect(serialize([shared, shared])).toEqual([{ s: 1 }, { s: 1 }]);
    const m = new Map<string, unknown>();
    m.set("me", m);
    expect(serialize(m)).toEqual({ $class: "Map", size: 1, entries: [["me", "[Circular]"]] });
  });

  it("never calls getters, toJSON or toString, and never throws", () => {
    let calls = 0;
    const o = {
      get boom(): number {
        calls++;
        throw new Error("getter");
      },
      set only(_v: number) {},
      toJSON() {
        calls++;
        return "no";
      },
    };
    expect(serialize(o)).toEqual({ boom: "[Getter]", only: "[Setter]", toJSON: "[Function toJSON]" });
    class Sneaky {
      get value(): number {
        calls++;
        return 1;
      }
    }
    expect(serialize(new Sneaky())).toEqual({ $class: "Sneaky" });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(serialize(revoked.proxy)).toBe("[Unserializable]");
    const trap = new Proxy({}, { ownKeys: () => { calls++; throw new Error("trap"); } });
    expect(() => serialize({ inner: trap })).not.toThrow();
    const ctorGetter = Object.create({ get constructor() { calls++; return Conn; } });
    expect(serialize(ctorGetter)).toEqual({});
    expect(calls).toBe(1); // only the proxy trap, which no one can avoid
  });

  it("keeps an own __proto__ key, as JSON.parse makes them (issue 13)", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = serialize(parsed) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["__proto__", "a"]);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(serializeArgs([1], ["__proto__"]))).toBe('{"__proto__":1}');
  });

  it("names arguments by parameter, extra ones by position", () => {
    expect(serializeArgs(["x", 2, 3], ["who", "n"])).toEqual({ who: "x", n: 2, arg2: 3 });
    expect(serializeArgs([], ["who"])).toEqual({});
  });
});
