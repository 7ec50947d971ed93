// The recorder and the profiler on a fixture app built by each real bundler with
// the plugin, run by Node with --enable-source-maps.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Profile } from "pprof-format";
import { describe, expect, it } from "vitest";
import { build, bundlers, runJson } from "../helpers/build.ts";

const app = fileURLToPath(new URL("./fixtures/app/", import.meta.url));
const conn = `${app}net/conn.js`;
const main = `${app}main.js`;
const markedLine = (file: string, name: string) => readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(`// line:${name}`)) + 1;

interface Out {
  trace: { traceEvents: { ph: string; name: string; tid: number; args?: Record<string, any>; dur?: number }[] };
  pprof: string;
  failures: number;
}


describe.each(bundlers)("recorder and profile built by %s", (bundler) => {
  it("records tasks on their own tracks, spans as slices, and profiles the callers", async () => {
    const built = await build(bundler, app, { entry: "main.js" });
    const out = await runJson<Out>(built.file);
    expect(out.failures).toBe(0);

    const ev = out.trace.traceEvents;
    const names = new Map(ev.filter((e) => e.name === "thread_name").map((e) => [e.tid, e.args!.name]));
    const slices = ev.filter((e) => e.ph === "X").map((e) => `${names.get(e.tid)}:${e.args!.begin.args.url}:${e.args!.end.args.status}`);
    expect(slices.sort()).toEqual(["client a:/a/1:200", "client a:/a/2:200", "client b:/b/3:200"]);
    expect(ev.filter((e) => e.ph === "i")).toEqual([]);

    const p = Profile.decode(gunzipSync(readFileSync(out.pprof)));
    const str = (i: unknown) => p.stringTable.strings[Number(i)]!;
    const fn = new Map(p.function.map((f) => [Number(f.id), f]));
    const frames = (s: (typeof p.sample)[number]) =>
      s.locationId.map((id) => {
        const line = p.location.find((l) => Number(l.id) === Number(id))!.line[0]!;
        const f = fn.get(Number(line.functionId))!;
        return { name: str(f.name), file: str(f.filename), line: Number(line.line) };
      });
    const starts = p.sample.filter((s) => str(s.label[0]!.str) === "net:traceConnStart");
    expect(starts.reduce((n, s) => n + Number(s.value[0]), 0)).toBe(3);
    for (const s of starts) {
      const [event, caller, callerOfCaller] = frames(s);
      expect(event!.name).toBe("net:traceConnStart");
      expect(caller).toEqual({ name: "request", file: conn, line: markedLine(conn, "request") });
      expect(callerOfCaller).toMatchObject({ name: "client", file: main, line: markedLine(main, "client") });
    }
    for (const s of p.sample) for (const f of frames(s)) expect(f.name).not.toMatch(/^(fire|wrap)$/);
  });
});
