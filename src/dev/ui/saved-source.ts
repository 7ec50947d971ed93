// Recordings opened from files, behind the same interface as the live socket: each
// is a page that never changes. Opening one announces the pages, then the new
// page's tracepoints and events, as the server does for a viewer that starts to
// watch; a file of the same name replaces the one opened before.

import type { MessageName, Messages } from "../../../runtime/live/protocol.ts";
import { parseSavedTrace, type SavedTrace } from "./saved-trace.ts";
import type { Source } from "./source.ts";
import type { SpanDef } from "./spans.ts";

export class SavedSource implements Source {
  readonly readOnly = true;
  #listeners = new Map<string, Array<(data: unknown) => void>>();
  #traces: SavedTrace[] = [];
  #opened = 0;

  on(name: string, cb: (data: never) => void): void {
    let list = this.#listeners.get(name);
    if (list === undefined) this.#listeners.set(name, (list = []));
    list.push(cb as (data: unknown) => void);
  }

  send<K extends MessageName>(name: K, data: Messages[K]): void {
    if (name === "unplugin-tracing:watch") {
      this.#emit("unplugin-tracing:pages", { pages: this.#traces.map((t) => t.page) });
      for (const t of this.#traces) this.#announce(t, (data as Messages["unplugin-tracing:watch"]).history !== false);
      return;
    }
    this.#emit("unplugin-tracing:error", { event: name, message: "a saved recording is read-only" });
  }

  /** Reads and opens a trace file: the new page's id and a note, or why the file cannot be shown (then nothing changes). */
  async openFile(file: Blob & { readonly name: string }): Promise<{ page: string; note: string; spans: SpanDef[] } | { error: string }> {
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      return { error: `${file.name}: could not be read (${e instanceof Error ? e.message : String(e)})` };
    }
    const parsed = parseSavedTrace(text, file.name, `saved:${++this.#opened}`);
    if ("error" in parsed) return parsed;
    const { trace } = parsed;
    this.open(trace);
    return { page: trace.page.id, spans: trace.spans, note: trace.skipped ? `${file.name}: ${trace.skipped.toLocaleString()} entries of other kinds (counters, flows…) not shown` : "" };
  }

  open(trace: SavedTrace): void {
    this.#traces = [...this.#traces.filter((t) => t.page.url !== trace.page.url), trace];
    this.#emit("unplugin-tracing:pages", { pages: this.#traces.map((t) => t.page) });
    this.#announce(trace, true);
  }

  #announce(t: SavedTrace, events: boolean): void {
    this.#emit("unplugin-tracing:page-tracepoints", { page: t.page.id, tracepoints: t.tracepoints });
    if (events) this.#emit("unplugin-tracing:page-events", { page: t.page.id, events: t.events, skipped: 0, history: true });
  }

  #emit<K extends MessageName>(name: K, data: Messages[K]): void {
    for (const cb of this.#listeners.get(name) ?? []) cb(data);
  }
}
