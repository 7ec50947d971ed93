// A package with a tracepoint of its own, for the bridges' tests.
//trace:event traceWidget(n: number, label: string)
//trace:event traceWidgetBegin(id: number)
//trace:event traceWidgetEnd(id: number)

export function widget(n: number, label: string): void {
  traceWidget(n, label);
}

/** An async operation with begin/end events around an await. */
export async function widgetJob(id: number, inner?: () => Promise<void>): Promise<void> {
  traceWidgetBegin(id);
  await new Promise((r) => setTimeout(r, 5));
  if (inner) await inner();
  traceWidgetEnd(id);
}
