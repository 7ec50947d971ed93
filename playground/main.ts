import { ProbeGroup, setup, tracepoints } from "unplugin-tracing/runtime";
import { hello_traceHello_Attach } from "trace:hello";
import { countJobs, type Stats } from "./diag/stats.ts";
import { sayHello } from "./hello/hello.ts";
import { Queue } from "./queue/queue.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const log = (line: string) => {
  const li = document.createElement("li");
  li.textContent = line;
  $("log").prepend(li);
};

// Hello: a probe attached and detached at run time.
let helloProbes: ProbeGroup | null = null;
$("hello").addEventListener("click", () => {
  const who = $<HTMLInputElement>("who").value || "world";
  log(sayHello(who));
});
$("probe").addEventListener("click", () => {
  if (helloProbes) {
    helloProbes.done();
    helloProbes = null;
    $("probe").textContent = "Attach probe";
    log("probe detached: sayHello runs untraced");
    return;
  }
  helloProbes = new ProbeGroup();
  const pg = helloProbes;
  setup(() => hello_traceHello_Attach(pg, (who) => log(`probe: traceHello(${JSON.stringify(who)}) at ${performance.now().toFixed(1)} ms`)));
  $("probe").textContent = "Detach probe";
  log("probe attached to hello:traceHello");
});

// Jobs: workers, a simulated network, and a diagnostics package counting outcomes.
const queue = new Queue(3);
const stats: Stats = { ok: 0, failed: 0 };
countJobs(stats);
$("jobs").addEventListener("click", () => {
  for (let i = 0; i < 10; i++) queue.push(i % 3 === 0 ? "resize" : "upload");
});
setInterval(() => {
  $("stats").textContent = `jobs done: ${queue.done} (ok ${stats.ok}, failed ${stats.failed})`;
}, 200);

$("tracepoints").textContent = tracepoints()
  .map((t) => `${t.package}:${t.signature}`)
  .join("\n");
