// Same directory, same package: traceHello_Attach needs no import.
import { ProbeGroup, setup } from "unplugin-tracing/runtime";
import { expect, it } from "vitest";
import { sayHello } from "./hello.ts";

it("says hello, and a detached probe sees no more", () => {
  const seen: string[] = [];
  const pg = new ProbeGroup();
  setup(() => traceHello_Attach(pg, (who) => seen.push(who)));
  sayHello("JP");
  pg.done();
  sayHello("nobody sees this");
  expect(seen).toEqual(["JP"]);
});

it("evaluates no argument while nothing is attached", () => {
  let evaluated = 0;
  const arg = () => (evaluated++, "x");
  traceHello(arg());
  expect(evaluated).toBe(0);
  const pg = new ProbeGroup();
  setup(() => traceHello_Attach(pg, () => {}));
  traceHello(arg());
  pg.done();
  expect(evaluated).toBe(1);
});
