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

const perf = globalThis.performance;

/** The recorder's clock alone, read as the recorder reads it: every event reads it once, so this is the floor of a recorded event. */
export function clock(n: number): number {
  for (let i = 0; i < n; i++) {
    sink = (sink ^ i ^ (perf.now() & 1)) & 0x3fffffff;
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

const { getOwnPropertyDescriptor } = Object;

/**
 * What recording the small object costs at least, since the recorder reads no
 * getter: its keys (for-in: V8 caches them per object shape), and a property
 * descriptor per key (a getter shows up there, where reading the property would
 * have called it).
 */
export function objectRead(n: number): number {
  for (let i = 0; i < n; i++) {
    const o = { id: i, path: "/items" };
    let x = 0;
    for (const key in o) {
      const d = getOwnPropertyDescriptor(o, key);
      if (d !== undefined && typeof d.value === "number") x ^= d.value;
    }
    sink = (sink ^ i ^ x) & 0x3fffffff;
  }
  return sink;
}

/** The garbage check's control: an array per iteration, kept (so V8 cannot drop it), as a recorder that made one per event would. */
export let last: number[] = [];
export function allocating(n: number): number {
  for (let i = 0; i < n; i++) {
    last = [i, sink];
    sink = (sink ^ i) & 0x3fffffff;
  }
  return sink;
}
