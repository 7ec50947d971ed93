import { it } from "vitest";
import { setup } from "unplugin-tracing/runtime";
import { verify } from "unplugin-tracing/tracetest";
import { greet } from "./greeter.ts";

// Fields, not parameter properties: this compiles under erasableSyntaxOnly (the Vite templates).
class Hi {
  readonly who: string;
  constructor(who: string) { this.who = who; }
}
class Hello {
  readonly who: string;
  constructor(who: string) { this.who = who; }
}

it("greets on two independent threads", async () => {
  await verify(async (t) => {
    setup(() => {
      traceHi_Attach(t.pg, (who) => t.rxEvent(new Hi(who)));
      traceHello_Attach(t.pg, (who) => t.rxEvent(new Hello(who)));
    });
    t.setEventRouter((ev) => (ev as Hi | Hello).who); // one stream per greeter
    t.go(greet("T1"));
    t.go(greet("T2"));
    await t.expect("T2", new Hi("T2"));
    await t.expect("T1", new Hi("T1"));
    await t.expect("T1", new Hello("T1"));
    await t.expect("T2", new Hello("T2"));
  });
});
