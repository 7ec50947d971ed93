// The sidebar's Spans section: two lists of the page's events to pick a begin and an
// end from (and an optional argument that pairs them), and the spans defined so far.

import { spanName, type SpanDef } from "./spans.ts";

/** Fills both lists with `names` (`package:event`), keeping what was chosen. */
export function renderSpanChoices(begin: HTMLSelectElement, end: HTMLSelectElement, names: readonly string[]): void {
  for (const [sel, hint] of [
    [begin, "begin event…"],
    [end, "end event…"],
  ] as const) {
    const was = sel.value;
    sel.replaceChildren(new Option(hint, ""), ...names.map((n) => new Option(n, n)));
    sel.value = names.includes(was) ? was : "";
  }
}

export function renderSpans(box: HTMLElement, defs: readonly SpanDef[], remove: (d: SpanDef) => void): void {
  box.replaceChildren(
    ...defs.map((d) => {
      const x = Object.assign(document.createElement("button"), { title: "remove this span", textContent: "×" });
      x.addEventListener("click", () => remove(d));
      const chip = Object.assign(document.createElement("span"), { className: "chip", title: `${d.begin} → ${d.end}${d.by ? `, paired by ${d.by}` : ", paired by task"}` });
      chip.append(spanName(d), x);
      return chip;
    }),
  );
}
