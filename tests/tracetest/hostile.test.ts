// tracetest against what real code and hostile values do (issue 13): trace calls
// that cannot be awaited, fire-and-forget producers, events with throwing getters
// or revoked proxies, absurd options, huge backlogs.
import { afterEach, describe, expect, it } from "vitest";
import { setup, tracepoints } from "unplugin-tracing/runtime";
import { run, verify } from "unplugin-tracing/tracetest";
import { rejection } from "../helpers/rejection.ts";
import { enqueue, report } from "./pinger.ts";

class Add {
  constructor(readonly id: string) {}
}

const probesOf = (name: string) => tracepoints().find((tp) => tp.package === "tests/tracetest" && tp.name === name)!.probeCount;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on("unhandledRejection", onUnhandled);
afterEach(async () => {
  // a leaked rejection is reported after the microtasks of the test have run
  await new Promise((r) => setTimeout(r, 10));
  expect(unhandled.splice(0)).toEqual([]);
});

describe("tracetest against real code and hostile values", () => {
  it("keeps the order of events one synchronous run signalled, under every delay of verify", async () => {
    let runs = 0;
    await verify(async (t) => {
      runs++;
      setup(() => traceAdd_Attach(t.pg, (id) => t.rxEvent(new Add(id))));
      enqueue("x", "y", "z"); // no await possible, as in a queue's enqueue
      await t.expect("default", new Add("x"));
      await t.expect("default", new Add("y"));
      await t.expect("default", new Add("z"));
    });
    expect(runs).toBe(4);
  });

  it("leaves no unhandled rejection from fire-and-forget producers, and names the producers it released", async () => {
    const err = await rejection(
      run(
        async (t) => {
          setup(() => {
            traceAdd_Attach(t.pg, (id) => t.rxEvent(new Add(id)));
            traceValue_Attach(t.pg, (v) => t.rxEvent(v));
          });
          t.setEventRouter((ev) => (ev instanceof Add ? `jobs` : "values"));
          enqueue("a", "b"); // not t.go: nobody can catch what these calls return
          void report(1);
          await t.expect("values", 2);
        },
        { deadTime: 200 },
      ),
    );
    expect(err.message.split("\n")).toEqual([
      "values: expect: number:",
      "want: number 2",
      "have: number 1",
      "diff:",
      "-2",
      "+1",
      "test shutdown: #streams: 2,  #(pending events): 2",
      'jobs\t<- Add { id: "a" }',
      'jobs\t<- Add { id: "b" }',
      "# values",
      "values: send: unexpected event data",
      "jobs: send: deadlock",
      "jobs: send: deadlock",
    ]);
  });

  it("never calls an event's getter: a report from a timer still settles and detaches the probes", async () => {
    let calls = 0;
    const hostile = {
      id: 1,
      get boom(): never {
        calls++;
        throw new Error("getter called");
      },
    };
    const err = await rejection(
      run(
        async (t) => {
          setup(() => traceValue_Attach(t.pg, (v) => t.rxEvent(v)));
          t.setEventRouter(() => "values");
          t.go(report(hostile));
          await t.expect("elsewhere", 1); // the deadlock report lists the hostile event, from a timer
        },
        { deadTime: 100 },
      ),
    );
    expect(err.message.split("\n")).toEqual([
      "elsewhere: recv: deadlock waiting for number",
      "test shutdown: #streams: 2,  #(pending events): 1",
      "# elsewhere",
      "values\t<- Object { id: 1, boom: [Getter] }",
      "values: send: deadlock",
    ]);
    const err2 = await rejection(
      run(async (t) => {
        setup(() => traceValue_Attach(t.pg, (v) => t.rxEvent(v)));
        t.go(report(hostile));
        await t.expect("default", { id: 2, boom: 0 });
      }),
    );
    expect(err2.message).toContain("have: Object { id: 1, boom: [Getter] }");
    expect(calls).toBe(0);
    expect(probesOf("traceValue")).toBe(0);
  });

  it("reports a revoked Proxy event without opening it, and detaches the probes", async () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    const err = await rejection(
      run(async (t) => {
        setup(() => traceValue_Attach(t.pg, (v) => t.rxEvent(v)));
        t.go(report(proxy));
        await t.expect("default", { a: 1 });
      }),
    );
    expect(err.message.split("\n").slice(0, 1)).toEqual(["default: expect: Object:  got Proxy [Proxy]"]);
    expect(probesOf("traceValue")).toBe(0);
  });

  it("refuses a deadTime setTimeout cannot wait, with the reason", async () => {
    const err = await rejection(run(async () => {}, { deadTime: 2 ** 31 }));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe("tracetest: deadTime must be at most 2147483647 ms (about 24.8 days), what setTimeout can wait; 2147483648 would fire at once");
    await run(async () => {}, { deadTime: 2 ** 31 - 1 });
  });

  it("bounds the report of 5,000 pending events in size, counting what it leaves out", async () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `job-${i}-${"x".repeat(20)}`);
    const err = await rejection(
      run(async (t) => {
        setup(() => traceAdd_Attach(t.pg, (id) => t.rxEvent(new Add(id))));
        enqueue(...ids);
      }),
    );
    const lines = err.message.split("\n");
    expect(lines[0]).toBe("test shutdown: #streams: 1,  #(pending events): 5000");
    expect(lines[1]).toBe(`default\t<- Add { id: "${ids[0]}" }`);
    expect(err.message.length).toBeLessThan(40_000);
    expect(lines).toContain("… 4950 more producers released");
    expect(lines.find((l) => l.startsWith("… ") && l.endsWith(" more pending events not shown"))).toBeDefined();
    expect(probesOf("traceAdd")).toBe(0);
  });
});
