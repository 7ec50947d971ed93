//trace:event traceCount(from: number, to: number)

export function increment(count: number): number {
  traceCount(count, count + 1)
  return count + 1
}
