// The edges of tracetest beyond the example scenarios: where a failure points,
// what happens to events after the end, the user's own errors, options.
import { describe, expect, it } from "vitest";
import { ProbeGroup, setup, tracepoints } from "unplugin-tracing/runtime";
import { run, verify } from "unplugin-tracing/tracetest";
import { rejection } from "../helpers/rejection.ts";
import { pinger, report } from "./pinger.ts";

class Ping {
  constructor(readonly n: number) {}
}

const pingProbes = () => tracepoints().find((tp) => tp.package === "tests/tracetest" && tp.name === "tracePing")!.probeCount;

describe("tracetest", () => {
  it("works as the idiomatic test is written: own probe group, awaiting the app", async () => {
    await verify(async (t) => {
      const pg = new ProbeGroup();
      setup(() => {
        tracePing_Attach(pg, (n) => t.rxEvent(new Ping(n)));
      });
      const done = pinger(2);
      await t.expect("default", new Ping(1));
      await t.expect("default", new Ping(2));
      expect(await done).toBe(2);
      pg.done();
    });
    expect(pingProbes()).toBe(0);
  });

  it("points the failure's stack at the test's line", async () => {
    const err = await rejection(
      run(
        async (t) => {
          setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
          t.go(pinger(1));
          await t.expect("default", new Ping(2)); // the failing line
        },
        { deadTime: 100 },
      ),
    );
    const frames = err.stack!.split("\n").filter((l) => /^\s+at /.test(l));
    expect(frames[0]).toMatch(/behaviour\.test\.ts:\d+/);
  });

  it("points a shutdown failure at the call of run", async () => {
    const err = await rejection(
      run(
        async (t) => {
          setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
          t.go(pinger(1));
        },
        { deadTime: 100 },
      ),
    );
    expect(err.message).toBe("test shutdown: #streams: 1,  #(pending events): 1\ndefault\t<- Ping { n: 1 }\ndefault: send: deadlock");
    expect(err.stack!.split("\n").find((l) => /^\s+at /.test(l))).toMatch(/behaviour\.test\.ts:\d+/);
  });

  it("refuses events that come after the end: the producer goes on, nothing is delivered", async () => {
    const pg = new ProbeGroup(); // not t.pg, and deliberately not done before the end
    const lines: string[] = [];
    await run(
      async (t) => {
        setup(() => tracePing_Attach(pg, (n) => t.rxEvent(new Ping(n))));
        t.go(pinger(1));
        await t.expect("default", new Ping(1));
      },
      { verbose: (l) => lines.push(l) },
    );
    await tracePing(7); // as a producer left over from the run would: resolves at once
    expect(lines.at(-1)).toBe("default\t<- Ping { n: 7 }: refused: the test has ended");
    pg.done();
  });

  it("rethrows the test's own error as it is, and releases the producers", async () => {
    const mine = new Error("my assertion");
    let app: Promise<number> | undefined;
    const err = await rejection(
      run(async (t) => {
        setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
        app = t.go(pinger(1));
        await Promise.resolve();
        throw mine;
      }),
    );
    expect(err).toBe(mine);
    expect(await app!).toBe(1); // released: the app went on and finished
  });

  it("fails when a task started with t.go rejects", async () => {
    const err = await rejection(
      run(async (t) => {
        t.go(async () => {
          throw new TypeError("boom");
        });
      }),
    );
    expect(err.message).toBe("go: a task failed: TypeError: boom\ntest shutdown: #streams: 0,  #(pending events): 0");
  });

  it("lets the test look at state while the producer is held (recv, ack)", async () => {
    await run(async (t) => {
      setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
      let reached = 0;
      t.go(async () => {
        await pinger(1);
        reached = 1;
      });
      const m = await t.recv("default");
      expect(m.event).toEqual(new Ping(1));
      await new Promise((r) => setTimeout(r, 5));
      expect(reached).toBe(0); // still paused at its trace call
      m.ack();
    });
  });

  it("fails with the reason given to nak", async () => {
    const err = await rejection(
      run(async (t) => {
        setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
        t.go(pinger(1));
        const m = await t.recv("default");
        m.nak("ping 1 came too early");
      }),
    );
    expect(err.message).toBe("default: ping 1 came too early\ntest shutdown: #streams: 1,  #(pending events): 0\n# default\ndefault: send: ping 1 came too early");
  });

  it("compares plain objects and primitives by value, and names both types when they differ", async () => {
    await run(async (t) => {
      setup(() => traceValue_Attach(t.pg, (v) => t.rxEvent(v)));
      t.go(report({ a: [1, { b: new Map([["k", new Set([1])]]) }] }, "text", 3n));
      await t.expect("default", { a: [1, { b: new Map([["k", new Set([1])]]) }] });
      await t.expect("default", "text");
      await t.expect("default", 3n);
    });
    const err = await rejection(
      run(async (t) => {
        setup(() => traceValue_Attach(t.pg, (v) => t.rxEvent(v)));
        t.go(report({ n: 1, extra: true }));
        await t.expect("default", { n: 2, tags: ["x"] });
      }),
    );
    expect(err.message).toBe(
      [
        "default: expect: Object:",
        "want: Object { n: 2, tags: [\"x\"] }",
        "have: Object { n: 1, extra: true }",
        "diff:",
        ".n: -2 +1",
        '.tags: -["x"] +<missing>',
        ".extra: -<missing> +true",
        "test shutdown: #streams: 1,  #(pending events): 0",
        "# default",
        "default: send: unexpected event data",
      ].join("\n"),
    );
    const err2 = await rejection(
      run(async (t) => {
        setup(() => traceValue_Attach(t.pg, (v) => t.rxEvent(v)));
        t.go(report(1));
        await t.expect("default", "1");
      }),
    );
    expect(err2.message.split("\n")[0]).toBe("default: expect: string:  got number 1");
  });

  it("prints events in verbose mode", async () => {
    const lines: string[] = [];
    await verify(
      async (t) => {
        setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
        t.go(pinger(2));
        await t.expect("default", new Ping(1));
        await t.expect("default", new Ping(2));
      },
      { verbose: (l) => lines.push(l) },
    );
    expect(lines.slice(0, 3)).toEqual(["default\t<- Ping { n: 1 }", "default\t<- Ping { n: 2 }", expect.stringMatching(/^=== delay@0\(=default:0\): \d+ ms$/)]);
    expect(lines.filter((l) => l.startsWith("==="))).toHaveLength(2);
  });

  it("fails verify when a rerun routes events to other streams", async () => {
    let runs = 0;
    const err = await rejection(
      verify(async (t) => {
        const stream = runs++ === 0 ? "a" : "b";
        t.setEventRouter(() => stream);
        setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
        t.go(pinger(2));
        await t.expect(stream, new Ping(1));
        await t.expect(stream, new Ping(2));
      }),
    );
    expect(err.message).toMatch(/^verify: run delay@0\(=a:0\) failed \(delay \d+ ms\):\nstreams are not the same as in the first run:\nfirst: a\nnow:   b$/);
  });

  it("fails when the event router throws, and allows one router only", async () => {
    const err = await rejection(
      run(async (t) => {
        t.setEventRouter(() => {
          throw new Error("no stream for it");
        });
        expect(() => t.setEventRouter(() => "x")).toThrow("tracetest: setEventRouter: the router is already set");
        setup(() => tracePing_Attach(t.pg, (n) => t.rxEvent(new Ping(n))));
        t.go(pinger(1));
        await t.expect("default", new Ping(1));
      }),
    );
    expect(err.message).toBe("tracetest: event router failed on Ping { n: 1 }: Error: no stream for it\ntest shutdown: #streams: 0,  #(pending events): 0");
  });
});
