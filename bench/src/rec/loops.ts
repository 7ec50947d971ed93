//trace:event traceRec(i: number, s: number)
// The recorder row: a loop whose trace call the recorder records.
export let sink = 0;

export function baseline(n: number): number {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

export function recorded(n: number): number {
  for (let i = 0; i < n; i++) {
    traceRec(i, sink);
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}
