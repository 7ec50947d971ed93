// tracetest on a real concurrent component: each worker of the job queue is one
// stream, and the test decides when each worker may go on.
import { describe, expect, it } from "vitest";
import { setup } from "unplugin-tracing/runtime";
import { run, verify, type T } from "unplugin-tracing/tracetest";
import { rejection } from "../helpers/rejection.ts";
import { JobQueue } from "./job-queue.ts";

class Start {
  constructor(
    readonly worker: number,
    readonly job: string,
  ) {}
}
class Done {
  constructor(
    readonly worker: number,
    readonly job: string,
    readonly ok: boolean,
  ) {}
}

function probes(t: T): void {
  setup(() => {
    // typed: in a declaration file of the whole repo, fixtures declare these names with other parameters
    traceJobStart_Attach(t.pg, (worker: number, job: string) => t.rxEvent(new Start(worker, job)));
    traceJobDone_Attach(t.pg, (worker: number, job: string, ok: boolean) => t.rxEvent(new Done(worker, job, ok)));
  });
  t.setEventRouter((ev) => `w${(ev as Start | Done).worker}`);
}

const work = (name: string) => async () => {
  await new Promise((r) => setTimeout(r, 1));
  return name.toUpperCase();
};

describe("tracetest: a job queue with two workers", () => {
  it("hands the waiting job to the worker let go first, whatever the timing", async () => {
    await verify(async (t) => {
      probes(t);
      const q = new JobQueue<string>(2);
      const results = t.go(Promise.all([q.push("a", work("a")), q.push("b", work("b")), q.push("c", work("c"))]));

      await t.expect("w0", new Start(0, "a"));
      await t.expect("w1", new Start(1, "b"));
      // w1 is held at its Done; w0 is running a or held at its own Done: c must wait
      const m = await t.recv("w1");
      expect(m.event).toEqual(new Done(1, "b", true));
      expect(q.pending).toBe(1);
      m.ack();
      await t.expect("w1", new Start(1, "c"));
      await t.expect("w0", new Done(0, "a", true));
      await t.expect("w1", new Done(1, "c", true));

      expect(await results).toEqual(["A", "B", "C"]);
      await t.go(q.close());
    });
  });

  it("reports a failed job and keeps the worker serving", async () => {
    await run(async (t) => {
      probes(t);
      const q = new JobQueue<string>(1);
      const bad = t.go(q.push("bad", () => Promise.reject(new Error("disk full"))).catch((e: Error) => e.message));
      const good = t.go(q.push("good", work("good")));
      await t.expect("w0", new Start(0, "bad"));
      await t.expect("w0", new Done(0, "bad", false));
      await t.expect("w0", new Start(0, "good"));
      await t.expect("w0", new Done(0, "good", true));
      expect([await bad, await good]).toEqual(["disk full", "GOOD"]);
      await t.go(q.close());
    });
  });

  it("catches a test that expects the wrong worker order", async () => {
    const err = await rejection(
      run(
        async (t) => {
          probes(t);
          const q = new JobQueue<string>(2);
          t.go(q.push("a", work("a")));
          t.go(q.push("b", work("b")));
          await t.expect("w0", new Start(0, "b"));
        },
        { deadTime: 200 },
      ),
    );
    expect(err.message).toBe(
      [
        "w0: expect: Start:",
        'want: Start { worker: 0, job: "b" }',
        'have: Start { worker: 0, job: "a" }',
        "diff:",
        '.job: -"b" +"a"',
        "test shutdown: #streams: 2,  #(pending events): 1",
        "# w0",
        'w1\t<- Start { worker: 1, job: "b" }',
        "w0: send: unexpected event data",
        "w1: send: deadlock",
      ].join("\n"),
    );
  });
});
