// `tstrace watch --pid` and `tstrace list --pid` (issue 14, item 1) against real
// Node processes: a small HTTP server built with esbuild and with Vite's SSR build,
// started plainly with `node`, attached to with the real CLI (dist/src/cli.js).
// Every test here may open an inspector on port 9229, so they all live in this one
// file and run one after another.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Profile } from "pprof-format";
import { afterAll, describe, expect, it } from "vitest";
import { isOldNode } from "../../src/attach/target.ts";
import { build, type Bundler } from "../helpers/build.ts";

const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/server", import.meta.url));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const p of started) if (p.exitCode === null) p.kill("SIGKILL");
});

interface Target {
  proc: ChildProcess;
  pid: number;
  port: number;
  stderr: () => string;
}

/** Starts a built server with plain `node` (no flag) and waits for its port. */
async function startTarget(file: string): Promise<Target> {
  const proc = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(proc);
  let err = "";
  proc.stderr!.on("data", (c) => (err += c));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (c) => {
      out += c;
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    proc.once("exit", (code) => reject(new Error(`target exited with ${code}: ${err}`)));
  });
  const { port } = JSON.parse(line);
  // A target that dies by itself says why in the test's output.
  proc.once("exit", (code, signal) => {
    if (signal !== "SIGTERM" && signal !== "SIGKILL") console.error(`target ${proc.pid} exited (${code ?? signal}):\n${err}`);
  });
  return { proc, pid: proc.pid!, port, stderr: () => err };
}

interface CliRun {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
}

function tstrace(args: string[], opts: { uid?: number } = {}): CliRun {
  const proc = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"], ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }) });
  started.push(proc);
  let out = "";
  let err = "";
  proc.stdout!.on("data", (c) => (out += c));
  proc.stderr!.on("data", (c) => (err += c));
  const exited = new Promise<number>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function untilAsync(what: string, cond: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function listPid(pid: number) {
  const run = tstrace(["list", "--pid", String(pid)]);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const get = async (t: Target, path: string) => (await fetch(`http://127.0.0.1:${t.port}${path}`)).json();
const inspectorOpen = () => fetch("http://127.0.0.1:9229/json/list").then(() => true, () => false);

describe.each<Bundler>(["esbuild", "vite"])("a server built with %s", (bundler) => {
  it("streams matched events while attached, writes the trace and the profile, and leaves the process as it was", async () => {
    const built = await build(bundler, fixture, { entry: "main.ts" });
    const t = await startTarget(built.file);
    const before = await listPid(t.pid);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^src\/http:traceRequest\t0 probes\tsrc\/http\/serve\.ts:5:1$/m);
    expect(before.stdout).toMatch(/^diagnostics_channel:http_server_request_start\t0 probes\tdiagnostics_channel "http.server.request.start"$/m);
    expect(before.stderr).toContain("4 tracepoints, 0 probes attached");

    const dir = mkdtempSync(join(tmpdir(), "watch-pid-"));
    const out = join(dir, "trace.json");
    const pprof = join(dir, "events.pb.gz");
    const w = tstrace(["watch", "--pid", String(t.pid), "src/http:traceRe*", "diagnostics_channel:http_server_*", "--json", "--out", out, "--pprof", pprof]);
    await until("the watch to attach", () => w.stderr().includes("tstrace: watching"));
    await get(t, "/first");
    await get(t, "/second");
    await until("both requests' events", () => w.stdout().includes('"url":"/second","status":200'));
    // Ctrl-C and SIGTERM both detach.
    w.proc.kill(bundler === "esbuild" ? "SIGTERM" : "SIGINT");
    expect(await w.exited).toBe(0);
    expect(w.stderr()).toContain("and closed its inspector; 0 events dropped");

    const lines = w.stdout().trim().split("\n").map((l) => JSON.parse(l));
    // Node's http channel, bridged: its message carries the request.
    expect(lines.find((e) => e.package === "diagnostics_channel" && JSON.stringify(e.args.message).includes("/first"))?.event).toBe("http_server_request_start");
    const mine = lines.filter((e) => e.package === "src/http" && (e.args.url === "/first" || e.args.url === "/second"));
    expect(mine.map((e) => `${e.event} ${e.args.url}`)).toEqual([
      "traceRequest /first",
      "traceResponse /first",
      "traceRequest /second",
      "traceResponse /second",
    ]);
    expect(mine[0]).toMatchObject({ pid: t.pid, package: "src/http", args: { method: "GET" }, task: "main" });
    expect(Math.abs(mine[0].time - Date.now())).toBeLessThan(60_000); // wall-clock time, not the target's own clock

    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.traceEvents.filter((e: any) => e.ph === "i").map((e: any) => e.name)).toEqual(expect.arrayContaining(["traceRequest", "traceResponse"]));
    const profile = Profile.decode(gunzipSync(readFileSync(pprof)));
    const strings = profile.stringTable.strings;
    expect(strings).toContain("src/http:traceRequest");
    expect(profile.sample.reduce((n, s) => n + Number(s.value[0]), 0)).toBeGreaterThanOrEqual(4);

    // No probe left behind, the inspector closed again, and the server still serves.
    const after = await listPid(t.pid);
    expect(after.stderr).toContain("4 tracepoints, 0 probes attached");
    expect(await get(t, "/after")).toEqual({ ok: true });
    await untilAsync("the inspector to close", async () => !(await inspectorOpen()));
    expect(t.proc.exitCode).toBe(null);
    t.proc.kill();
  });
});

describe("notes", () => {
  it("notes the patterns that match nothing yet, as the dev-server form does, and stays attached", async () => {
    const built = await build("esbuild", fixture, { entry: "main.ts" });
    const t = await startTarget(built.file);
    const w = tstrace(["watch", "--pid", String(t.pid), "nope:*", "*:traceRequest", "src/http:traceRe*", "--json", "--duration", "3"]);
    // `*` stops at `/`: the package is src/http, so *:traceRequest selects nothing.
    await until("the note", () => w.stderr().includes(`tstrace: note: nothing matches nope:* *:traceRequest yet in process ${t.pid}; watching for tracepoints that load later\n`));
    expect(w.stderr()).toContain("tstrace: watching");
    await get(t, "/noted");
    expect(await w.exited).toBe(0);
    expect(w.stdout()).toContain('"url":"/noted"');
    t.proc.kill();
  });
});

describe("errors", () => {
  it("carries a burst of events with drops counted, and stops after --duration", async () => {
    const built = await build("esbuild", fixture, { entry: "main.ts", outDir: "esbuild-burst" });
    const t = await startTarget(built.file);
    const w = tstrace(["watch", "--pid", String(t.pid), "src/http:traceTick", "--duration", "6"]);
    await until("the watch to attach", () => w.stderr().includes("tstrace: watching"));
    const load = await get(t, "/load?ms=1000&perTurn=200");
    expect(await w.exited).toBe(0);
    const got = w.stdout().split("\n").filter((l) => l.includes("src/http:traceTick")).length;
    const dropped = Number(/(\d+) events dropped, /.exec(w.stderr())?.[1]);
    // Every event fired either reached the terminal or was counted as dropped.
    expect(got + dropped).toBe(load.fired);
    expect(got).toBeGreaterThan(0);
    // Plain lines, as the dev-server form prints them. Which events are dropped depends
    // on the machine: the target's ring keeps the newest when a flush comes late.
    expect(w.stdout()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} src\/http:traceTick i=\d+$/m);
    expect((await listPid(t.pid)).stderr).toContain("0 probes attached");
    t.proc.kill();
  });

  it("detaches by itself, and closes the inspector it was opened with, when the CLI is killed -9", async () => {
    const built = await build("esbuild", fixture, { entry: "main.ts", outDir: "esbuild-kill" });
    const t = await startTarget(built.file);
    const w = tstrace(["watch", "--pid", String(t.pid), "src/http"]);
    await until("the watch to attach", () => w.stderr().includes("tstrace: watching"));
    w.proc.kill("SIGKILL");
    await w.exited;
    // The agent waits 10 s for a ping before it gives the session up.
    await untilAsync("the inspector to close", async () => !(await inspectorOpen()), 20_000);
    const r = await listPid(t.pid);
    expect(r.stderr).toContain("4 tracepoints, 0 probes attached");
    expect(await get(t, "/still")).toEqual({ ok: true });
    t.proc.kill();
  });

  it("says why it cannot attach, exits 1, and leaves the process running", async () => {
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => gone.once("exit", r));
    let r = await listPid(gone.pid!);
    expect([r.code, r.stderr.trim()]).toEqual([1, `tstrace: no process with pid ${gone.pid}`]);

    const sleeper = spawn("sleep", ["30"]);
    started.push(sleeper);
    r = await listPid(sleeper.pid!);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tstrace: process \d+ is not a Node process \(it runs .*sleep\)\n$/);
    expect(sleeper.exitCode).toBe(null);

    const plain = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000); console.log('up')"], { stdio: ["ignore", "pipe", "pipe"] });
    started.push(plain);
    await new Promise((r) => plain.stdout!.once("data", r));
    r = await listPid(plain.pid!);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`tstrace: process ${plain.pid} has no unplugin-tracing runtime loaded`);
    await untilAsync("the inspector to close", async () => !(await inspectorOpen()));
    expect(plain.exitCode).toBe(null);
    plain.kill();
  });

  it("refuses when port 9229 is taken by something else", async () => {
    const built = await build("esbuild", fixture, { entry: "main.ts", outDir: "esbuild-port" });
    const squatter: Server = createServer((_, res) => res.end("not an inspector"));
    await new Promise<void>((r) => squatter.listen(9229, "127.0.0.1", r));
    try {
      const t = await startTarget(built.file);
      const r = await listPid(t.pid);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the inspector of process ${t.pid} could not open: port 9229 is taken by something else`);
      expect(await get(t, "/still")).toEqual({ ok: true });
      t.proc.kill();
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it("waits for a process that is still starting instead of killing it with the signal", async () => {
    const built = await build("esbuild", fixture, { entry: "main.ts", outDir: "esbuild-start" });
    const proc = spawn(process.execPath, [built.file], { stdio: ["ignore", "pipe", "pipe"] });
    started.push(proc);
    const r = await listPid(proc.pid!);
    // Attached once it could be signalled: either its tracepoints, or (if its modules had not loaded yet) no runtime.
    if (r.code === 0) expect(r.stderr).toContain("4 tracepoints");
    else expect(r.stderr).toContain("has no unplugin-tracing runtime loaded");
    await new Promise((r) => setTimeout(r, 200));
    expect(proc.exitCode).toBe(null);
    proc.kill();
  });

  it("knows which Node versions are too old (the agent needs process.getBuiltinModule)", () => {
    expect(["v18.20.0", "v20.15.1", "20.16.0", "v22.1.0", "v20.9.0"].map(isOldNode)).toEqual([true, true, false, false, true]);
  });

  it.skipIf(process.getuid?.() !== 0)("says permission denied for another user's process", async () => {
    const built = await build("esbuild", fixture, { entry: "main.ts", outDir: "esbuild-perm" });
    const t = await startTarget(built.file);
    const run = tstrace(["list", "--pid", String(t.pid)], { uid: 65534 });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain(`permission denied: process ${t.pid} belongs to another user`);
    t.proc.kill();
  });
});
