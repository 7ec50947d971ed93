// `tstrace watch <dev-server-url> <pattern...>`: attaches to the patterns on every
// page of a running dev server (or one, with --page), prints one line per event
// (`12:00:01.234 src/hello:traceHello who="JP"`) or JSON lines (--json), writes a
// Perfetto trace at the end (--out), and detaches on SIGINT (Ctrl-C) or SIGTERM.
// Exit status: 0 when stopped by a signal, 1 when the server cannot be reached,
// refuses the subscription or goes away, 2 for bad arguments. What the server and
// its pages send is escaped before it reaches the terminal.

import { writeFileSync } from "node:fs";
import { compilePattern } from "../../runtime/pattern.ts";
import { checkPatterns, PREFIX } from "../../runtime/live/limits.ts";
import { formatEvent } from "../../runtime/live/format.ts";
import type { MessageName, Messages, PageInfo, WireEvent } from "../../runtime/live/protocol.ts";
import { toTraceFile, type RecordedEvent } from "../../runtime/trace-events.ts";
import { escapeLine, escapeText } from "./escape.ts";
import { eachArg } from "../cli-args.ts";
import { connect, type WsClient } from "./ws-client.ts";
import { UI_PATH } from "./ui-server.ts";

export const WATCH_HELP = `  tstrace watch <dev-server-url> <pattern...> [--page ID|URL-PART] [--json] [--out FILE]
                                   attach to the patterns on every page of a running Vite
                                   dev server (or one), print each event, write a Perfetto
                                   trace with --out; Ctrl-C or SIGTERM detaches
`;

export class WatchUsageError extends Error {}

interface WatchArgs {
  url: string;
  patterns: string[];
  page: string | null;
  json: boolean;
  out: string | null;
}

function parse(args: string[]): WatchArgs {
  const rest: string[] = [];
  const w: WatchArgs = { url: "", patterns: [], page: null, json: false, out: null };
  eachArg(args, "watch", (m) => new WatchUsageError(m), (a, value) => {
    if (a === "--json") w.json = true;
    else if (a === "--page") w.page = value();
    else if (a === "--out") w.out = value();
    else if (a.startsWith("--")) throw new WatchUsageError(`watch: unknown option ${escapeText(a)}`);
    else rest.push(a);
  });
  const [url, ...patterns] = rest;
  if (!url || patterns.length === 0) throw new WatchUsageError("watch: want a dev server URL and at least one pattern");
  const why = checkPatterns(patterns);
  if (why) throw new WatchUsageError(`watch: ${why}`);
  return { ...w, url, patterns };
}

/** The HMR websocket of the dev server at `url` (its base path, without /__tracing/). */
export function socketUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(/^\w+:\/\//.test(url) ? url : `http://${url}`);
  } catch {
    throw new WatchUsageError(`watch: ${escapeText(url)} is not a URL`);
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(u.protocol)) throw new WatchUsageError(`watch: ${escapeText(url)}: want the dev server's http:// or https:// URL`);
  let path = u.pathname.endsWith(UI_PATH) ? u.pathname.slice(0, -UI_PATH.length) : u.pathname;
  if (!path.endsWith("/")) path += "/";
  return `${u.protocol === "https:" || u.protocol === "wss:" ? "wss" : "ws"}://${u.host}${path}`;
}

export interface WatchIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Resolves when the user asks to stop (SIGINT, SIGTERM). */
  stopped: Promise<void>;
}

/** One line for a failure to connect (Node gives an AggregateError with no message when every address of a name fails). */
function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: Array<{ message?: string }> } | null;
  return e?.message || e?.errors?.map((x) => x.message).find(Boolean) || e?.code || String(err);
}

export async function watch(args: string[], io: WatchIo): Promise<number> {
  const w = parse(args);
  const matchers = w.patterns.map(compilePattern);
  const wanted = (e: WireEvent) => matchers.some((m) => m(e));
  const url = socketUrl(w.url);
  let ws: WsClient;
  try {
    ws = await connect(url, { protocol: "vite-hmr" });
  } catch (err) {
    io.stderr(`tstrace: watch: cannot connect to ${escapeText(w.url)}: ${escapeText(describe(err))}\n`);
    return 1;
  }
  const send = <K extends MessageName>(event: K, data: Messages[K]) => ws.send(JSON.stringify({ type: "custom", event, data }));
  const pages = new Map<string, PageInfo>();
  const recorded: Array<{ e: WireEvent; origin: number }> = [];
  const MAX_KEPT = 1_000_000;
  let target: string | null = w.page === null ? "*" : null;
  let attached = false;
  let refused: string | null = null;
  let waitingSaid = false;

  let stopServer!: (why: string) => void;
  const closed = new Promise<string>((resolve) => (stopServer = resolve));
  ws.onClose = (why) => stopServer(why);

  /** Attaches once the target page is known (at once without --page). */
  const pagesChanged = () => {
    if (target === null) {
      const p = [...pages.values()].find((x) => x.id === w.page || x.url.includes(w.page!));
      if (p) target = p.id;
    }
    if (target !== null && !attached) {
      attached = true;
      send("unplugin-tracing:attach", { page: target, patterns: w.patterns });
      const where = target === "*" ? `every page (${[...pages.values()].filter((p) => p.connected !== false).length} now)` : escapeText(pages.get(target)!.url);
      io.stderr(`tstrace: watching ${escapeText(w.patterns.join(" "))} on ${where}; Ctrl-C to stop\n`);
    } else if (!attached && !waitingSaid) {
      waitingSaid = true;
      io.stderr(`tstrace: waiting for a page matching ${escapeText(w.page!)}\n`);
    }
  };

  ws.onMessage = (text) => {
    let msg: { type?: string; event?: string; data?: any };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.type !== "custom" || typeof msg.event !== "string" || !msg.event.startsWith(PREFIX)) return;
    const d = msg.data;
    switch (msg.event as MessageName) {
      case "unplugin-tracing:pages":
        pages.clear();
        for (const p of d.pages as PageInfo[]) pages.set(p.id, p);
        pagesChanged();
        break;
      case "unplugin-tracing:page":
        pages.set(d.page.id, d.page as PageInfo);
        pagesChanged();
        break;
      case "unplugin-tracing:page-gone":
        pages.delete(d.page);
        break;
      case "unplugin-tracing:attached": {
        const none = (d.unmatched as string[]).map((p) => escapeText(p));
        if (none.length > 0) io.stderr(`tstrace: note: nothing matches ${none.join(" ")} yet (${target === "*" ? "on any page" : "on this page"}); watching for tracepoints that load later\n`);
        break;
      }
      case "unplugin-tracing:page-events": {
        if (target !== "*" && d.page !== target) return;
        const origin = pages.get(d.page)?.timeOrigin ?? 0;
        for (const e of d.events as WireEvent[]) {
          if (!wanted(e)) continue;
          if (w.json) io.stdout(`${escapeLine(JSON.stringify({ time: origin + e.time, page: d.page, package: e.package, event: e.name, args: e.args, task: e.task.name }))}\n`);
          else io.stdout(`${escapeLine(formatEvent(e, origin))}\n`);
          if (w.out && recorded.length < MAX_KEPT) recorded.push({ e, origin });
        }
        break;
      }
      case "unplugin-tracing:error": {
        const why = escapeText(String(d?.message ?? "error"));
        io.stderr(`tstrace: server: ${why}\n`);
        // Our own subscription refused (the viewer rule, a limit): nothing will come.
        if (d?.event === "unplugin-tracing:attach" || d?.event === "unplugin-tracing:watch") {
          refused = why;
          stopServer("refused");
        }
        break;
      }
    }
  };
  send("unplugin-tracing:watch", { history: false });

  const why = await Promise.race([io.stopped.then(() => null), closed]);
  if (why === null) {
    if (target !== null) send("unplugin-tracing:detach", { page: target, patterns: ["*"] });
    ws.close();
  } else if (refused !== null) ws.close();
  if (w.out) {
    // Pages have their own clocks: put every event on the epoch, relative to the first page.
    const zero = recorded.reduce((m, r) => Math.min(m, r.origin), Infinity);
    const events: RecordedEvent[] = recorded.map(({ e, origin }) => ({ time: origin - zero + e.time, package: e.package, name: e.name, args: e.args, task: e.task }));
    writeFileSync(w.out, JSON.stringify(toTraceFile(events, { processName: w.url, dropped: [...pages.values()].reduce((n, p) => n + p.dropped, 0), failures: 0 })));
    io.stderr(`tstrace: wrote ${events.length} events to ${w.out}\n`);
  }
  if (refused !== null) return 1;
  if (why !== null) {
    io.stderr(`tstrace: the dev server went away (${escapeText(why)})\n`);
    return 1;
  }
  return 0;
}
