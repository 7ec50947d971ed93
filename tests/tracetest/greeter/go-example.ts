// The tests of Go's tracetest example (go123/tracing/tracetest, example_test.go),
// told again with the greeter: the same threads, events, streams and checks, and
// the same reports line by line. Two things differ by nature: Go qualifies the
// event types (`*tracetest_test.eventHi`) where we say `eventHi`, and prints a string event
// without quotes (`T1·A`) where we show the value with its type (`eventHi "T1·A"`);
// Go's `<TIME>` is our `(delay N ms)`. Blank lines between Go's log entries are
// not part of our one-message report.
import assert from "node:assert/strict";
import { setup } from "unplugin-tracing/runtime";
import { verify, type T } from "unplugin-tracing/tracetest";
import { rejection } from "../../helpers/rejection.ts";
import { sayHello as hello, sayHi as hi } from "./greeter.ts";
import type { Scenario } from "./scenarios.ts";

// Go's events are named strings, `type eventHi string`: String subclasses with Go's names.
export class eventHi extends String {}
export class eventHello extends String {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Go's setupTracing and routeEvent: "<threadID>·..." goes to stream "<threadid>". */
function setupTracing(t: T): void {
  setup(() => {
    traceHi_Attach(t.pg, (who) => t.rxEvent(new eventHi(who)));
    traceHello_Attach(t.pg, (who) => t.rxEvent(new eventHello(who)));
  });
  t.setEventRouter((event) => {
    const who = String(event);
    const i = who.indexOf("·");
    if (i < 0) throw new Error(`who does not have threadID: ${JSON.stringify(who)}`);
    return who.slice(0, i).toLowerCase();
  });
}

/** Go's `-tracetest.deadtime=0.5s` for the deadlock tests. */
const deadTime = 500;

async function report(p: Promise<void>): Promise<string[]> {
  return (await rejection(p)).message.split("\n");
}

export const goScenarios: Scenario[] = [
  {
    name: "Go's Test2ThreadsOK: two independent threads pass under verify",
    fn: async () => {
      await verify(async (t) => {
        setupTracing(t);
        t.go(async () => {
          await hi("T1·A");
          await hello("T1·B");
        });
        t.go(async () => {
          await hello("T2·C");
          await hi("T2·D");
        });
        // in checks t2 vs t1 order does not matter
        await t.expect("t2", new eventHello("T2·C"));
        await t.expect("t2", new eventHi("T2·D"));
        await t.expect("t1", new eventHi("T1·A"));
        await t.expect("t1", new eventHello("T1·B"));
      });
    },
  },
  {
    name: "Go's TestDeadlock: the checker's recv deadlock first, the producer's send deadlock after it",
    fn: async () => {
      const lines = await report(
        verify(
          async (t) => {
            setupTracing(t);
            const thread1 = t.go(() => hi("T1·A"));
            // the checker expects something on stream "t2", but nothing is sent there
            await t.expect("t2", new eventHi("zzz"));
            await thread1;
          },
          { deadTime },
        ),
      );
      assert.deepEqual(lines, ["t2: recv: deadlock waiting for eventHi", "test shutdown: #streams: 2,  #(pending events): 1", 't1\t<- eventHi "T1·A"', "# t2", "t1: send: deadlock"]);
    },
  },
  {
    name: "Go's TestRace: a race hidden by a sleep is found at delay@0",
    fn: async () => {
      const [head, ...lines] = await report(
        verify(async (t) => {
          setupTracing(t);
          t.go(() => hi("x·A"));
          t.go(async () => {
            await sleep(100);
            await hi("x·B");
          });
          await t.expect("x", new eventHi("x·A"));
          await t.expect("x", new eventHi("x·B"));
        }),
      );
      assert.match(head!, /^verify: run delay@0\(=x:0\) failed \(delay \d+ ms\):$/);
      // Go lists the lines up to the diff; the rest is what Go's TestExpectValue shows after a value mismatch
      assert.deepEqual(lines, ["x: expect: eventHi:", 'want: eventHi "x·A"', 'have: eventHi "x·B"', "diff:", '-"x·A"', '+"x·B"', "test shutdown: #streams: 1,  #(pending events): 0", "# x", "x: send: unexpected event data"]);
    },
  },
  {
    name: "Go's TestDeadlockExtra: an extra event nobody takes is a send deadlock after the shutdown summary",
    fn: async () => {
      const lines = await report(
        verify(
          async (t) => {
            setupTracing(t);
            const thread1 = t.go(async () => {
              await hi("T1·A");
              await hi("T1·Extra");
            });
            await t.expect("t1", new eventHi("T1·A"));
            await thread1; // Go's `defer wg.Wait()`
          },
          { deadTime },
        ),
      );
      assert.deepEqual(lines, ["test shutdown: #streams: 1,  #(pending events): 1", 't1\t<- eventHi "T1·Extra"', "t1: send: deadlock"]);
    },
  },
  {
    name: "Go's TestExpectType: a wrong type, and the producer is told",
    fn: async () => {
      const lines = await report(
        verify(async (t) => {
          setupTracing(t);
          t.go(() => hi("T1·A"));
          await t.expect("t1", new eventHello("T1·A"));
        }),
      );
      assert.deepEqual(lines, ['t1: expect: eventHello:  got eventHi "T1·A"', "test shutdown: #streams: 1,  #(pending events): 0", "# t1", "t1: send: unexpected event type"]);
    },
  },
  {
    name: "Go's TestExpectValue: a wrong value with its diff, and the producer is told",
    fn: async () => {
      const lines = await report(
        verify(async (t) => {
          setupTracing(t);
          t.go(() => hi("T1·A"));
          await t.expect("t1", new eventHi("T1·B"));
        }),
      );
      assert.deepEqual(lines, ["t1: expect: eventHi:", 'want: eventHi "T1·B"', 'have: eventHi "T1·A"', "diff:", '-"T1·B"', '+"T1·A"', "test shutdown: #streams: 1,  #(pending events): 0", "# t1", "t1: send: unexpected event data"]);
    },
  },
];
