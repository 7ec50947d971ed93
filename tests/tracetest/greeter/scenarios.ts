// The scenarios of Go's tracetest example, told again for async JavaScript with
// the README's greeter. Each one asserts the outcome and the message with
// node:assert, so the same list runs under Vitest (example.test.ts) and under
// node:test (example.node.ts, bundled with the esbuild plugin).
import assert from "node:assert/strict";
import { setup, tracepoints } from "unplugin-tracing/runtime";
import { run, verify, type T } from "unplugin-tracing/tracetest";
import { rejection } from "../../helpers/rejection.ts";
import { greet, sayHello, sayHi } from "./greeter.ts";

// Fields, not parameter properties, as in the README (it compiles under erasableSyntaxOnly).
export class Hi {
  readonly who: string;
  constructor(who: string) {
    this.who = who;
  }
}
export class Hello {
  readonly who: string;
  constructor(who: string) {
    this.who = who;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Attaches the probes of this file to the run's probe group, routing by `who`. */
function probes(t: T, route = true): void {
  setup(() => {
    traceHi_Attach(t.pg, (who) => t.rxEvent(new Hi(who)));
    traceHello_Attach(t.pg, (who) => t.rxEvent(new Hello(who)));
  });
  if (route) t.setEventRouter((ev) => (ev as Hi | Hello).who.toLowerCase());
}

/** How many probes each of the greeter's tracepoints has. */
function greeterProbes(): Record<string, number> {
  const tps = tracepoints().filter((tp) => tp.package === "tests/tracetest/greeter");
  return Object.fromEntries(tps.map((tp) => [tp.name, tp.probeCount]));
}

// Short enough that the failing scenarios stay quick, long enough for a loaded CI box.
const deadTime = 200;

export interface Scenario {
  readonly name: string;
  readonly fn: () => Promise<void>;
}

export const scenarios: Scenario[] = [
  {
    name: "two independent threads pass, under verify too",
    fn: async () => {
      let runs = 0;
      await verify(async (t) => {
        runs++;
        probes(t);
        t.go(greet("T1"));
        t.go(greet("T2"));
        // the streams are independent: checking t2 first holds t1 meanwhile, no harm
        await t.expect("t2", new Hi("T2"));
        await t.expect("t1", new Hi("T1"));
        await t.expect("t1", new Hello("T1"));
        await t.expect("t2", new Hello("T2"));
      });
      assert.equal(runs, 1 + 4, "verify reruns once per event");
      assert.deepEqual(greeterProbes(), { traceHello: 0, traceHi: 0 }, "t.pg is done after each run");
    },
  },
  {
    name: "a missing event is a deadlock, and the paused producer is released",
    fn: async () => {
      let t1: Promise<void> | undefined;
      const err = await rejection(
        run(
          async (t) => {
            probes(t);
            t1 = t.go(greet("T1"));
            t.go(async () => {}); // T2 forgot to greet
            await t.expect("t1", new Hi("T1"));
            await t.expect("t2", new Hi("T2"));
          },
          { deadTime },
        ),
      );
      assert.equal(
        err.message,
        ["t2: recv: deadlock waiting for Hi", "test shutdown: #streams: 2,  #(pending events): 1", 't1\t<- Hello { who: "T1" }', "# t2", "t1: send: deadlock"].join("\n"),
      );
      // released: T1 goes on as if nobody traced it
      await t1;
    },
  },
  {
    name: "an extra event is caught at shutdown",
    fn: async () => {
      const err = await rejection(
        run(
          async (t) => {
            probes(t);
            t.go(greet("T1"));
            await t.expect("t1", new Hi("T1"));
            // the test ends here, but T1 still has a Hello to say
          },
          { deadTime },
        ),
      );
      assert.equal(err.message, ["test shutdown: #streams: 1,  #(pending events): 1", 't1\t<- Hello { who: "T1" }', "t1: send: deadlock"].join("\n"));
    },
  },
  {
    name: "a producer nobody answers is a send deadlock",
    fn: async () => {
      const err = await rejection(
        run(
          async (t) => {
            probes(t);
            const done = t.go(greet("T1"));
            await t.expect("t1", new Hi("T1"));
            await done; // T1 waits for its Hello to be taken, the test waits for T1
          },
          { deadTime },
        ),
      );
      assert.equal(err.message, ["test shutdown: #streams: 1,  #(pending events): 1", 't1\t<- Hello { who: "T1" }', "t1: send: deadlock"].join("\n"));
    },
  },
  {
    name: "a race hidden by a sleep passes run, and verify finds it",
    fn: async () => {
      // Both threads report to one stream. The test wants A's Hi before B's Hello;
      // nothing in the program orders them but B's nap.
      const racy = async (t: T) => {
        probes(t, false);
        t.go(sayHi("A"));
        t.go(async () => {
          await sleep(5);
          await sayHello("B");
        });
        await t.expect("default", new Hi("A"));
        await t.expect("default", new Hello("B"));
      };
      await run(racy, { deadTime: 1000 });
      const err = await rejection(verify(racy, { deadTime: 1000 }));
      const [head, ...rest] = err.message.split("\n");
      assert.match(head!, /^verify: run delay@0\(=default:0\) failed \(delay \d+ ms\):$/);
      assert.equal(
        rest.join("\n"),
        ['default: expect: Hi:  got Hello { who: "B" }', "test shutdown: #streams: 1,  #(pending events): 0", "# default", "default: send: unexpected event type"].join("\n"),
      );
    },
  },
  {
    name: "a wrong type is caught and its producer is told",
    fn: async () => {
      let t1: Promise<void> | undefined;
      const err = await rejection(
        run(
          async (t) => {
            probes(t);
            // T1 skips its Hi
            t1 = t.go(sayHello("T1"));
            await t.expect("t1", new Hi("T1"));
          },
          { deadTime },
        ),
      );
      assert.equal(err.message, ['t1: expect: Hi:  got Hello { who: "T1" }', "test shutdown: #streams: 1,  #(pending events): 0", "# t1", "t1: send: unexpected event type"].join("\n"));
      await t1; // told, and let go
    },
  },
  {
    name: "a wrong value is caught with a diff",
    fn: async () => {
      const err = await rejection(
        run(
          async (t) => {
            probes(t, false);
            t.go(sayHi("Jo"));
            await t.expect("default", new Hi("JP"));
          },
          { deadTime },
        ),
      );
      assert.equal(
        err.message,
        [
          "default: expect: Hi:",
          'want: Hi { who: "JP" }',
          'have: Hi { who: "Jo" }',
          "diff:",
          '.who: -"JP" +"Jo"',
          "test shutdown: #streams: 1,  #(pending events): 0",
          "# default",
          "default: send: unexpected event data",
        ].join("\n"),
      );
    },
  },
];
