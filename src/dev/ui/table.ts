// The event table: a virtualised list. Only the rows in view exist in the DOM (a
// small pool, reused); the spacer gives the scrollbar its full height. Redraws
// happen at most once per animation frame, and while the view is at the bottom it
// follows new events.

import { formatClock } from "../../../runtime/live/format.ts";
import type { EventStore, Row } from "./store.ts";

const ROW = 22;

export class EventTable {
  store: EventStore | null = null;
  /** The page's `performance.timeOrigin`; 0 (a recording that does not say it): times show as seconds on the page's clock. */
  timeOrigin = 0;
  follow = true;
  /** The picked event, highlighted. */
  selected: Row | null = null;
  #pool: HTMLDivElement[] = [];
  #queued = false;
  onView: (first: number, last: number) => void = () => {};
  /** A click on the row shown at index `i`. */
  onClick: (i: number) => void = () => {};

  constructor(readonly box: HTMLElement, readonly spacer: HTMLElement) {
    box.addEventListener("scroll", () => {
      this.follow = box.scrollTop + box.clientHeight >= box.scrollHeight - ROW;
      this.update();
    });
    new ResizeObserver(() => this.update()).observe(box);
  }

  /** Schedules a redraw. */
  update(): void {
    if (this.#queued) return;
    this.#queued = true;
    requestAnimationFrame(() => {
      this.#queued = false;
      this.#draw();
    });
  }

  scrollToIndex(i: number): void {
    this.follow = false;
    this.box.scrollTop = Math.max(0, i * ROW - this.box.clientHeight / 2);
    this.update();
  }

  #draw(): void {
    const n = this.store?.size ?? 0;
    this.spacer.style.height = `${n * ROW}px`;
    if (this.follow) this.box.scrollTop = this.box.scrollHeight;
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW) - 5);
    const last = Math.min(n, Math.ceil((this.box.scrollTop + this.box.clientHeight) / ROW) + 5);
    const need = last - first;
    while (this.#pool.length < need) {
      const div = document.createElement("div");
      div.className = "row";
      div.addEventListener("click", () => this.onClick(Number(div.dataset.i)));
      for (const c of ["t", "p", "e", "a", "k"]) div.appendChild(document.createElement("span")).className = c;
      this.spacer.appendChild(div);
      this.#pool.push(div);
    }
    for (let j = 0; j < this.#pool.length; j++) {
      const div = this.#pool[j]!;
      const row = j < need ? this.store!.at(first + j) : undefined;
      if (row === undefined) {
        div.style.display = "none";
        continue;
      }
      div.style.display = "";
      div.dataset.i = String(first + j);
      div.classList.toggle("sel", row === this.selected);
      div.style.transform = `translateY(${(first + j) * ROW}px)`;
      const c = div.children;
      c[0]!.textContent = this.timeOrigin === 0 ? `${(row.time / 1000).toFixed(3)} s` : formatClock(this.timeOrigin + row.time);
      c[1]!.textContent = row.package;
      c[2]!.textContent = row.name;
      c[3]!.textContent = row.text;
      (c[3] as HTMLElement).title = row.text;
      c[4]!.textContent = row.task.id === 1 ? row.task.name : `${row.task.name} #${row.task.id}`;
    }
    this.onView(first, last);
  }
}
