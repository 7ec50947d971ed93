// The small "app" behaviour.test.ts drives: it pings, or reports values, pausing
// at each trace call.
//trace:event tracePing(n: number)
//trace:event traceValue(v: unknown)
//trace:event traceAdd(id: string)

/** Pings 1..count; resolves with count. */
export async function pinger(count: number): Promise<number> {
  for (let i = 1; i <= count; i++) await tracePing(i);
  return count;
}

/** Reports each value in turn. */
export async function report(...values: unknown[]): Promise<void> {
  for (const v of values) await traceValue(v);
}

/**
 * Adds jobs the way a queue's synchronous `enqueue` or a Promise executor does:
 * the trace calls cannot be awaited, and nothing waits for them.
 */
export function enqueue(...ids: string[]): void {
  for (const id of ids) void traceAdd(id);
}
