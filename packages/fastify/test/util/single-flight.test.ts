import { describe, expect, it } from 'vitest'
import { singleFlight } from '../../src/util/single-flight.js'

describe('singleFlight', () => {
  it('joins concurrent callers of one key to one call, and starts afresh once it settles', async () => {
    const group = singleFlight<number>()
    let calls = 0
    let release!: (n: number) => void
    const start = () => {
      calls++
      return new Promise<number>((resolve) => (release = resolve))
    }
    const joined = Promise.all([
      group.run('a', start),
      group.run('a', start),
      group.run('a', start),
    ])
    expect(calls).toBe(1)
    release(7)
    expect(await joined).toEqual([7, 7, 7])
    void group.run('a', start)
    expect(calls).toBe(2)
    release(8)
  })

  it('forgets a failure too, and keeps keys apart', async () => {
    const group = singleFlight<string>()
    await expect(group.run('k', () => Promise.reject(new Error('no')))).rejects.toThrow('no')
    await expect(group.run('k', async () => 'yes')).resolves.toBe('yes')
    const [a, b] = await Promise.all([
      group.run('a', async () => 'A'),
      group.run('b', async () => 'B'),
    ])
    expect([a, b]).toEqual(['A', 'B'])
  })
})
