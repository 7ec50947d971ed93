// One attach session: connect to the target's inspector, check it is the process
// we meant and that it has our runtime, load the agent there (once per process),
// and call the agent's one entry point with commands as plain values. Closing the
// session closes the inspector again if this session opened it.

import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { AGENT_KEY, REGISTRY_KEY, type CommandName, type Commands } from "../../runtime/attach/protocol.ts";
import { connectCdp, type Cdp } from "./cdp.ts";
import { AttachError, checkProcess, findOrOpenInspector, isOldNode, MIN_NODE } from "./target.ts";

/** The agent files of this install of the package (dist/ when built, runtime/ from source). */
function agentFiles(): { loader: string; agent: string } {
  const dir = new URL("../../runtime/attach/", import.meta.url);
  const built = fileURLToPath(new URL("load.cjs", dir));
  if (!existsSync(built)) throw new AttachError("the agent is not built (run npm run build)");
  return { loader: built, agent: new URL("agent.js", dir).href };
}

// Fixed functions run in the target with `this` = globalThis; data comes as arguments.
const CHECK = `function (registryKey, agentKey) {
  return { pid: process.pid, node: process.versions.node, runtime: Symbol.for(registryKey) in this, agent: typeof this[Symbol.for(agentKey)] === "function" };
}`;
const LOAD = `function (require, loader, agentUrl) { return require(loader)(agentUrl); }`;
const CALL = `function (agentKey, command, data) { return this[Symbol.for(agentKey)](command, data); }`;
// inspector.close() waits for connected sessions to end: it runs once we have hung up.
const CLOSE = `function () {
  const inspector = process.getBuiltinModule("node:inspector");
  setTimeout(() => { try { inspector.close(); } catch {} }, 20).unref();
  return true;
}`;

export interface Session {
  readonly pid: number;
  readonly cdp: Cdp;
  readonly opened: boolean;
  command<K extends CommandName>(name: K, data: Commands[K]["data"]): Promise<Commands[K]["reply"]>;
  /** Ends the session: closes the inspector if we opened it, and the connection. */
  close(): Promise<void>;
}

export async function openSession(pid: number): Promise<Session> {
  checkProcess(pid);
  const found = await findOrOpenInspector(pid);
  let cdp: Cdp;
  try {
    cdp = await connectCdp(found.url);
  } catch (err) {
    throw new AttachError(`cannot connect to the inspector of process ${pid} at ${found.url}: ${(err as Error).message}`);
  }
  const global = (await cdp.call("Runtime.evaluate", { expression: "globalThis" })).result.objectId as string;
  const callOn = async (fn: string, args: unknown[], objectId = global): Promise<any> => {
    const r = await cdp.call("Runtime.callFunctionOn", {
      objectId,
      functionDeclaration: fn,
      arguments: args.map((value) => (typeof value === "string" && value.startsWith("@object:") ? { objectId: value.slice(8) } : { value })),
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new AttachError(`in process ${pid}: ${d.exception?.description?.split("\n")[0] ?? d.text}`);
    }
    return r.result.value;
  };
  let closed = false;
  const session: Session = {
    pid,
    cdp,
    opened: found.opened,
    command: (name, data) => callOn(CALL, [AGENT_KEY, name, data]),
    async close() {
      if (closed) return;
      closed = true;
      if (found.opened) await callOn(CLOSE, []).catch(() => {});
      cdp.close();
    },
  };
  try {
    const info = (await callOn(CHECK, [REGISTRY_KEY, AGENT_KEY])) as { pid: number; node: string; runtime: boolean; agent: boolean };
    if (info.pid !== pid) {
      throw new AttachError(`the inspector on port ${found.port} belongs to process ${info.pid}, not ${pid}: port ${found.port} is taken by another Node process`);
    }
    if (isOldNode(info.node)) throw new AttachError(`process ${pid} runs Node v${info.node}; attaching needs Node >= ${MIN_NODE.join(".")}`);
    if (!info.runtime) throw new AttachError(`process ${pid} has no unplugin-tracing runtime loaded (was it built with the plugin, and has a module with tracepoints loaded yet?)`);
    if (!info.agent) {
      const { loader, agent } = agentFiles();
      const req = (await cdp.call("Runtime.evaluate", { expression: "require", includeCommandLineAPI: true })).result;
      if (req?.type !== "function") throw new AttachError(`process ${pid}: the inspector offers no require to load the agent with`);
      await callOn(LOAD, [`@object:${req.objectId}`, loader, agent]);
    }
    return session;
  } catch (err) {
    await session.close().catch(() => {});
    throw err;
  }
}
