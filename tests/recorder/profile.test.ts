import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { build } from "esbuild";
import { Profile } from "pprof-format";
import { beforeAll, describe, expect, it } from "vitest";
import { EventProfile } from "../../runtime/profile.ts";
import { manualTracepoint } from "../helpers/manual-tracepoint.ts";

const fixture = fileURLToPath(new URL("./fixtures/profile-app.ts", import.meta.url));

/** Decoded profile with its strings resolved. */
function decode(gz: Uint8Array) {
  const p = Profile.decode(gunzipSync(gz));
  const str = (i: unknown) => p.stringTable.strings[Number(i)]!;
  const fns = new Map(p.function.map((f) => [Number(f.id), { name: str(f.name), file: str(f.filename) }]));
  const locs = new Map(p.location.map((l) => [Number(l.id), l.line.map((ln) => ({ ...fns.get(Number(ln.functionId))!, line: Number(ln.line) }))[0]!]));
  const samples = p.sample.map((s) => ({
    count: Number(s.value[0]),
    frames: s.locationId.map((id) => locs.get(Number(id))!),
    event: str(s.label[0]?.str),
  }));
  return { p, str, samples, types: p.sampleType.map((t) => `${str(t.type)}/${str(t.unit)}`) };
}

/** The 1-based line of `// line:<name>` in a source file. */
function markedLine(file: string, name: string): number {
  return readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(`// line:${name}`)) + 1;
}

// pprof wants a writable home for its cache; stderr only says the profile names no binary.
const goOptions = () => ({ encoding: "utf8" as const, env: { ...process.env, HOME: tmpdir() }, stdio: ["ignore", "pipe", "ignore"] as ("ignore" | "pipe")[] });

function hasGo(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("EventProfile in process", () => {
  const ev = manualTracepoint("prof/a", "traceWork", ["n"]);
  const tp = ev.tp;
  function userLeaf(n: number) {
    tp.p !== null ? tp.fire(n) : undefined;
  }
  class Worker {
    run() {
      userLeaf(3);
    }
  }

  it("counts identical stacks once, names user functions and leaves runtime frames out", async () => {
    const prof = new EventProfile({ patterns: ["prof/a:*", "prof/**"] }).start();
    for (let i = 0; i < 4; i++) userLeaf(i);
    for (let i = 0; i < 2; i++) new Worker().run();
    prof.stop();
    userLeaf(0); // not counted after stop
    expect(prof.events).toBe(6);
    expect(prof.failures).toBe(0);

    const { p, samples, types } = decode(await prof.toBytes());
    expect(types).toEqual(["events/count"]);
    expect(Number(p.period)).toBe(1);
    expect(samples.reduce((n, s) => n + s.count, 0)).toBe(6);
    expect(samples).toHaveLength(2); // one per distinct stack
    expect(samples.map((s) => s.count).sort()).toEqual([2, 4]);
    for (const s of samples) {
      expect(s.event).toBe("prof/a:traceWork");
      // leaf: the event at its declaration, then the function that signalled it
      expect(s.frames[0]).toMatchObject({ name: "prof/a:traceWork", file: "prof/a/x.ts", line: 1 });
      expect(s.frames[1]).toMatchObject({ name: "userLeaf", file: fileURLToPath(import.meta.url) });
      expect(s.frames[1]!.line).toBeGreaterThan(0);
      for (const f of s.frames) {
        expect(f.name).not.toBe("fire");
        expect(f.file).not.toMatch(/runtime\/(tracing|profile|stacks)\.ts|manual-tracepoint/);
      }
    }
    expect(samples.find((s) => s.count === 2)!.frames[2]!.name).toBe("Worker.run");
  });

  it("applies a frame mapper, and can leave the event frame out", async () => {
    const prof = new EventProfile({
      patterns: "prof/a:traceWork",
      eventFrames: false,
      mapFrame: (f) => (f.functionName === "userLeaf" ? { ...f, file: "mapped.ts", line: 7 } : null),
    }).start();
    userLeaf(1);
    prof.stop();
    const { samples } = decode(await prof.toBytes());
    expect(samples[0]!.frames[0]).toMatchObject({ name: "userLeaf", file: "mapped.ts", line: 7 });
    const blob = await prof.toBlob();
    expect(decode(new Uint8Array(await blob.arrayBuffer())).samples[0]!.count).toBe(1);
  });

  it("writes the profile when mapFrame returns a frame with file: null, keeping the frame's own file (issue 13)", async () => {
    const prof = new EventProfile({
      patterns: "prof/a:traceWork",
      eventFrames: false,
      mapFrame: (f) => (f.functionName === "userLeaf" ? ({ ...f, file: null, line: 9 } as never) : null),
    }).start();
    userLeaf(1);
    prof.stop();
    const dir = mkdtempSync(join(tmpdir(), "prof-null-"));
    await prof.writeFile(join(dir, "p.pb.gz"));
    const { samples } = decode(readFileSync(join(dir, "p.pb.gz")));
    expect(samples[0]!.frames[0]).toMatchObject({ name: "userLeaf", file: fileURLToPath(import.meta.url), line: 9 });
  });

  it("bounds the number of distinct stacks", () => {
    const prof = new EventProfile({ patterns: "prof/a:*", maxStacks: 1 }).start();
    for (let i = 0; i < 2; i++) {
      userLeaf(1);
      if (i === 0) new Worker().run();
    }
    prof.stop();
    expect(prof.stacks().map((s) => s.count)).toEqual([2]);
    expect(prof.dropped).toBe(1);
  });
});

describe("EventProfile of a bundled app", () => {
  let dir = "";
  const run = (flags: string[], name: string) => {
    const out = join(dir, name);
    const stdout = execFileSync(process.execPath, [...flags, join(dir, "app.mjs"), out], { encoding: "utf8" });
    return { out, summary: JSON.parse(stdout) as { events: number; stacks: number; failures: number } };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "profile-app-"));
    await build({ entryPoints: [fixture], outfile: join(dir, "app.mjs"), bundle: true, platform: "node", format: "esm", sourcemap: true, logLevel: "silent" });
  });

  it("maps frames to the sources with --enable-source-maps", () => {
    const { out, summary } = run(["--enable-source-maps"], "mapped.pb.gz");
    expect(summary).toEqual({ events: 16, stacks: 2, failures: 0 });
    const { samples } = decode(readFileSync(out));
    const byCaller = new Map(samples.map((s) => [s.frames[2]!.name, s]));
    expect([...byCaller.keys()].sort()).toEqual(["Connection.flush", "serveClient"]);
    const flush = byCaller.get("Connection.flush")!;
    expect(flush.count).toBe(15);
    expect(flush.frames[1]).toEqual({ name: "sendPacket", file: fixture, line: markedLine(fixture, "sendPacket") });
    expect(flush.frames[2]).toEqual({ name: "Connection.flush", file: fixture, line: markedLine(fixture, "flush") });
    const serve = byCaller.get("serveClient")!;
    expect(serve.frames[2]).toEqual({ name: "serveClient", file: fixture, line: markedLine(fixture, "serveClient") });
  });

  it("gives bundle positions without source maps", () => {
    const { out } = run([], "raw.pb.gz");
    const { samples } = decode(readFileSync(out));
    expect(samples.every((s) => s.frames[1]!.file === join(dir, "app.mjs"))).toBe(true);
  });

  it.skipIf(!hasGo())("is read by go tool pprof, which names the user's functions", () => {
    const { out } = run(["--enable-source-maps"], "go.pb.gz");
    const top = execFileSync("go", ["tool", "pprof", "-top", "-nodecount=20", out], goOptions());
    expect(top).toMatch(/Type: events/);
    expect(top).toMatch(/\b16\b.*total/);
    for (const fn of ["sendPacket", "Connection.flush", "serveClient", "app/net:traceSend"]) expect(top).toContain(fn);
    expect(top).not.toMatch(/\bfire\b/);
    // -traces lists every sample with its stack: two distinct ones
    const traces = execFileSync("go", ["tool", "pprof", "-traces", out], goOptions());
    expect(traces.match(/event:\s+app\/net:traceSend/g)).toHaveLength(2);
    expect(traces).toContain("(anonymous)"); // pprof shows names in <...> as <unknown>
  });
});
