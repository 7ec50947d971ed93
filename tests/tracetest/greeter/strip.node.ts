// A tracetest built with `strip: true` (strip.test.ts bundles it): it must say
// that tracing was removed, not wait for the dead time and report a deadlock.
import { setup } from "unplugin-tracing/runtime";
import { run } from "unplugin-tracing/tracetest";
import { greet } from "./greeter.ts";

try {
  await run(async (t) => {
    setup(() => traceHi_Attach(t.pg, (who) => t.rxEvent(who)));
    t.go(greet("T1"));
    await t.expect("default", "T1");
  });
  console.log(JSON.stringify({ passed: true }));
} catch (e) {
  console.log(JSON.stringify({ message: (e as Error).message }));
}
