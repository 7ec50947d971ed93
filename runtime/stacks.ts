// Stack capture for the profiler: V8 structured call sites, with the frames of our
// runtime left out and positions source-mapped where the host can.
//
// Call sites come from Error.captureStackTrace with a temporary
// Error.prepareStackTrace (Node 20 has no util.getCallSites). V8 formats `stack`
// lazily, so it is read before the previous hook is put back. A user hook (or
// Node's own with --enable-source-maps) never sees our capture, so mapping is done
// here: through node:module's findSourceMap when Node has source maps enabled,
// or through the user's mapper.

import { nodeBuiltin } from "./host.ts";

/** One frame of a captured stack. Lines and columns are 1-based; 0 when unknown. */
export interface StackFrame {
  functionName: string;
  file: string;
  line: number;
  column: number;
}

/** Maps a raw frame to its source position; null or undefined keeps the frame as is. */
export type FrameMapper = (frame: StackFrame) => StackFrame | null | undefined;

interface CallSite {
  getFunctionName(): string | null;
  getMethodName(): string | null;
  getTypeName(): string | null;
  getScriptNameOrSourceURL(): string | null;
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  isNative(): boolean;
  isAsync?(): boolean;
}

type ErrorCtor = ErrorConstructor & {
  prepareStackTrace?: (e: Error, sites: CallSite[]) => unknown;
  captureStackTrace?: (target: object, ctor?: Function) => void;
  stackTraceLimit: number;
};

const E = Error as ErrorCtor;
const asSites = (_: Error, sites: CallSite[]) => sites;

/** Whether this engine gives structured call sites (V8: Node, Chromium, Deno, Bun's JSC does too). */
export const canCaptureStacks = typeof E.captureStackTrace === "function";

/**
 * The caller's stack, leaf first, without `below` and the frames above it, and
 * without the tracepoint's own frames: everything up to and including the
 * runtime's `fire`, then generated trace functions named `event`.
 */
export function captureStack(below: Function, event: string, maxFrames: number): StackFrame[] {
  const holder: { stack?: unknown } = {};
  const prepare = E.prepareStackTrace;
  const limit = E.stackTraceLimit;
  let sites: CallSite[];
  try {
    E.prepareStackTrace = asSites;
    E.stackTraceLimit = maxFrames + 8;
    E.captureStackTrace!(holder, below);
    sites = holder.stack as CallSite[];
  } finally {
    E.prepareStackTrace = prepare;
    E.stackTraceLimit = limit;
  }
  if (!Array.isArray(sites)) return [];
  let from = 0;
  // Pattern probes are called through the event's `fire` method (a few frames
  // down: the probe adapter, `fire`); the frame below `fire` is the trace call site.
  for (let i = 0; i < Math.min(sites.length, 6); i++) {
    if (sites[i]!.getFunctionName() === "fire" || sites[i]!.getMethodName() === "fire") {
      from = i + 1;
      break;
    }
  }
  while (from < sites.length && sites[from]!.getFunctionName() === event) from++;
  const out: StackFrame[] = [];
  for (let i = from; i < sites.length && out.length < maxFrames; i++) out.push(toFrame(sites[i]!));
  return out;
}

function toFrame(s: CallSite): StackFrame {
  const fn = s.getFunctionName() || s.getMethodName();
  const type = s.getTypeName();
  // Methods read better with their class; plain calls have no useful receiver.
  const name = fn === null ? "(anonymous)" : type && s.getMethodName() && type !== "Object" && !fn.includes(".") ? `${type}.${fn}` : fn;
  const file = s.getScriptNameOrSourceURL() || s.getFileName() || (s.isNative() ? "(native)" : "(unknown)");
  return { functionName: name, file, line: s.getLineNumber() ?? 0, column: s.getColumnNumber() ?? 0 };
}

interface NodeSourceMap {
  findOrigin?(line: number, column: number): { fileName?: string; lineNumber?: number; columnNumber?: number; name?: string } | object;
}

/**
 * The default mapper: Node's own source maps when they are enabled
 * (--enable-source-maps or process.setSourceMapsEnabled), else none.
 */
export function nodeSourceMapper(): FrameMapper | null {
  const proc = (globalThis as { process?: { sourceMapsEnabled?: boolean } }).process;
  const mod = nodeBuiltin<{ findSourceMap?: (path: string) => NodeSourceMap | undefined }>("node:module");
  if (!proc?.sourceMapsEnabled || typeof mod?.findSourceMap !== "function") return null;
  const find = mod.findSourceMap;
  const maps = new Map<string, NodeSourceMap | null>();
  return (f) => {
    let map = maps.get(f.file);
    if (map === undefined) {
      map = find(f.file) ?? null;
      maps.set(f.file, map);
    }
    const o = map?.findOrigin?.(f.line, f.column);
    if (o === undefined || !("fileName" in o) || typeof o.fileName !== "string") return null;
    return {
      functionName: f.functionName,
      file: o.fileName,
      line: (o.lineNumber ?? 0) as number,
      column: (o.columnNumber ?? 0) as number,
    };
  };
}

/** `file:` URLs as paths, which pprof tools show and open. */
export function displayFile(file: string): string {
  if (!file.startsWith("file://")) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return file;
  }
}
