//trace:event traceRec(i: number, s: number)
//trace:event traceRecObj(req: { id: number; path: string })
// The recorder rows: loops whose trace call the recorder records.
export let sink = 0;

export function baseline(n: number): number {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}

/** The recorder's clock alone: every event reads it once, so this is the floor of a recorded event. */
export function clock(n: number): number {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i ^ (performance.now() & 1)) & 0x3fffffff;
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

/** A small object argument: serialised (snapshotted) as the event fires. */
export function recordedObject(n: number): number {
  for (let i = 0; i < n; i++) {
    traceRecObj({ id: i, path: "/items" });
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}
