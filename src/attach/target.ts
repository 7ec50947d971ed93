// Finding a running Node process's inspector, and opening it when it is closed,
// as `node inspect -p PID` does (process._debugProcess: SIGUSR1 on POSIX). Each
// way this can fail gets its own message: the CLI prints it and exits 1.
//
// Linux's /proc says, before any signal is sent, whether the pid is a Node
// process (SIGUSR1 kills a process that does not catch it), whether it catches
// SIGUSR1 yet (a process still starting does not), and which TCP ports it
// listens on (so an inspector opened earlier, on any port, is found and left open).

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { get } from "node:http";
import { basename } from "node:path";

export class AttachError extends Error {}

/** Oldest Node the agent runs on: process.getBuiltinModule. */
export const MIN_NODE = [20, 16] as const;

export function isOldNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
}

const hasProc = (() => {
  try {
    readdirSync("/proc/self/fd");
    return true;
  } catch {
    return false;
  }
})();

/** Checks the pid names a live Node process we may signal; returns its Node version if known. */
export function checkProcess(pid: number): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new AttachError(`--pid: ${pid} is not a process id`);
  try {
    process.kill(pid, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ESRCH") throw new AttachError(`no process with pid ${pid}`);
    if (code === "EPERM") throw new AttachError(`permission denied: process ${pid} belongs to another user (attach as that user)`);
    throw err;
  }
  if (pid === process.pid) throw new AttachError(`pid ${pid} is tstrace itself`);
  if (!hasProc) return null;
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EACCES") throw new AttachError(`permission denied: cannot inspect process ${pid}`);
    throw new AttachError(`cannot read what process ${pid} runs (a zombie, or a kernel thread?)`);
  }
  exe = exe.replace(/ \(deleted\)$/, "");
  if (!/^(node|nodejs)([-_.]?[\d.]*)?$/.test(basename(exe))) {
    throw new AttachError(`process ${pid} is not a Node process (it runs ${exe})`);
  }
  let version: string;
  try {
    version = execFileSync(exe, ["--version"], { encoding: "utf8", timeout: 5_000 }).trim();
  } catch {
    return null; // the binary is gone or unreadable: the inspector will tell
  }
  if (isOldNode(version)) throw new AttachError(`process ${pid} runs Node ${version}; attaching needs Node >= ${MIN_NODE.join(".")}`);
  return version;
}

/** Whether the process has a SIGUSR1 handler (Node installs it while starting up). */
function catchesSigusr1(pid: number): boolean | null {
  if (!hasProc) return null;
  try {
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? ((BigInt(`0x${m[1]}`) >> 9n) & 1n) === 1n : null;
  } catch {
    return null;
  }
}

/** TCP ports the process listens on, from its socket inodes and the kernel's socket tables. */
export function listeningPorts(pid: number): number[] {
  if (!hasProc) return [];
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [];
  }
  const ports = new Set<number>();
  for (const table of ["tcp", "tcp6"]) {
    let text = "";
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is field 9.
      if (f.length > 9 && f[3] === "0A" && inodes.has(f[9]!)) ports.add(parseInt(f[1]!.split(":")[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

interface ListEntry {
  webSocketDebuggerUrl?: string;
  type?: string;
}

/** The inspector's websocket URL on a loopback port, or null when nothing there answers like one. */
export function inspectorAt(port: number, timeoutMs = 1_000): Promise<string | null> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/json/list", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
        if (body.length > 1 << 20) req.destroy();
      });
      res.on("end", () => {
        try {
          const list = JSON.parse(body) as ListEntry[];
          const t = Array.isArray(list) ? list.find((e) => typeof e?.webSocketDebuggerUrl === "string") : undefined;
          resolve(t?.webSocketDebuggerUrl ?? null);
        } catch {
          resolve(null);
        }
      });
      res.on("error", () => resolve(null));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

/** Whether anything accepts connections on the loopback port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/", timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code !== "ECONNREFUSED"));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Found {
  url: string;
  /** Whether we opened the inspector (and so close it again at the end). */
  opened: boolean;
  /** The port the inspector answers on. */
  port: number;
}

/** Finds the process's open inspector, or opens it on loopback. */
export async function findOrOpenInspector(pid: number, defaultPort = 9229): Promise<Found> {
  for (const port of listeningPorts(pid)) {
    const url = await inspectorAt(port);
    if (url) return { url, opened: false, port };
  }
  // A process still starting up dies of SIGUSR1: wait until it catches it.
  for (let waited = 0; catchesSigusr1(pid) === false; waited += 50) {
    if (waited >= 5_000) throw new AttachError(`process ${pid} does not handle SIGUSR1 (still starting, or run with --disable-sigusr1); not signalling it`);
    await sleep(50);
  }
  try {
    (process as unknown as { _debugProcess(pid: number): void })._debugProcess(pid);
  } catch (err) {
    throw new AttachError(`cannot signal process ${pid}: ${(err as Error).message}`);
  }
  for (let waited = 0; waited < 5_000; waited += 50) {
    await sleep(50);
    if (hasProc) {
      const ports = listeningPorts(pid);
      for (const port of ports) {
        const url = await inspectorAt(port);
        if (url) return { url, opened: true, port };
      }
      // The inspector binds within milliseconds; a second on, someone else holding the port is why.
      if (waited >= 1_000 && !ports.includes(defaultPort) && (await portAnswers(defaultPort))) break;
    } else {
      const url = await inspectorAt(defaultPort);
      if (url) return { url, opened: true, port: defaultPort };
    }
  }
  if (await portAnswers(defaultPort)) {
    const other = await inspectorAt(defaultPort);
    throw new AttachError(
      `the inspector of process ${pid} could not open: port ${defaultPort} is taken by ${other ? "another process's inspector" : "something else"} (free the port, or start the process with --inspect-port=0 ... and kill -USR1 it)`,
    );
  }
  throw new AttachError(`process ${pid} did not open its inspector within 5 s (see its stderr)`);
}
