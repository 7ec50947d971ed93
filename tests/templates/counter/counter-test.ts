import { ProbeGroup, setup } from 'unplugin-tracing/runtime'
import { expect, it } from 'vitest'
import { increment } from './counter.ts'

it('traces each increment', () => {
  const seen: string[] = []
  const pg = new ProbeGroup()
  setup(() => traceCount_Attach(pg, (from, to) => seen.push(`${from}->${to}`)))
  increment(increment(0))
  pg.done()
  increment(2)
  expect(seen).toEqual(['0->1', '1->2'])
})
