// The details panel under the table: the picked event (from the timeline or the
// table) with its time, task and each argument in full, or the picked slice with
// its duration and both halves' arguments.

import { formatClock } from "../../../runtime/live/format.ts";
import { taskLabel } from "./lanes.ts";
import type { Picked } from "./timeline.ts";
import type { Row } from "./store.ts";
import { formatDuration } from "./time-axis.ts";

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const el = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  el.append(...kids);
  return el;
};

/** Shows `p` in `box`, or hides it; `start` is the recording's first time (for +offsets). */
export function renderDetails(box: HTMLElement, p: Picked | null, timeOrigin: number, start: number, close: () => void): void {
  box.replaceChildren();
  box.hidden = p === null;
  if (p === null) return;
  const when = (t: number) => `+${formatDuration(Math.max(0, t - start))}${timeOrigin ? ` · ${formatClock(timeOrigin + t)}` : ""}`;
  const x = h("button", { className: "close", title: "close (Esc on the timeline)", textContent: "×" });
  x.addEventListener("click", close);
  const dl = h("dl");
  const item = (k: string, v: string, sub = false) => dl.append(h("dt", { textContent: k, className: sub ? "sub" : "" }), h("dd", { textContent: v }));
  const args = (sub: boolean, r: Row) => {
    const names = Object.keys(r.args);
    if (names.length === 0) item("(arguments)", "none", sub);
    for (const k of names) item(k, JSON.stringify(r.args[k], null, 2), sub);
  };
  if (p.kind === "event") {
    const r = p.row;
    box.append(h("div", { className: "head" }, h("b", { textContent: r.key }), h("span", { textContent: "event" }), x));
    item("time", when(r.time));
    item("task", taskLabel(r.task));
    args(false, r);
  } else {
    const s = p.slice;
    box.append(h("div", { className: "head" }, h("b", { textContent: s.name }), h("span", { textContent: `slice · ${formatDuration(s.end.time - s.begin.time)}` }), x));
    item("begin", `${s.begin.key} at ${when(s.begin.time)}`);
    args(true, s.begin);
    item("end", `${s.end.key} at ${when(s.end.time)}`);
    args(true, s.end);
    item("task", s.begin.task.id === s.end.task.id ? taskLabel(s.begin.task) : `${taskLabel(s.begin.task)} → ${taskLabel(s.end.task)}`);
  }
  box.dataset.kind = p.kind;
  box.append(dl);
}
