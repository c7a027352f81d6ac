/**
 * Cross-instance single-flight for code exchanges (distributed mode; docs/architecture.md#the-code-is-exchanged-once).
 *
 * - `SET <prefix>lock:code:<sha256(code)> <token> NX PX lockTtl` elects one holder per code. The
 *   holder exchanges (its `exchange` re-reads the outcome cache first), caches the outcome for 5
 *   minutes, PUBLISHes it (sealed) on `<prefix>code:<hash>` and releases the lock. While it works it
 *   renews the lock, so a slow WeChat does not let a second instance in.
 * - The other instances SUBSCRIBE to that channel and also poll the cache every `pollMs` (a message
 *   sent before they subscribed is not lost). A published outcome reaches them even when it was a
 *   transient failure (not cached), so every request with the code gets the same answer, as in
 *   embedded mode.
 * - The lock lives `lockTtl` (15 s by default, well under the code's 5 minutes): when the holder
 *   crashes, its lock expires, a waiter takes it and exchanges; if the crashed holder had already
 *   used the code, WeChat answers 40163 and that waiter caches CODE_USED. Waiting is bounded
 *   (`waitMs`), after which the request fails with 503 and nothing is cached.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (code: single use, 5 minutes)
 */
import type { RedisConnection } from './connection.js'
import type { RedisCodeOutcomeCache } from './code-outcomes.js'
import type { RedisLock } from './lock.js'
import type { CodeExchangeCoordinator, CodeOutcome } from '../coordination.js'
import { StoreUnavailableError } from '../unavailable.js'

export interface RedisCodeExchangeOptions {
  /** Lock lifetime without renewal. Default 15 s. */
  lockTtlMs?: number
  /** How long a request waits for another instance's exchange. Default lockTtlMs + 2 s. */
  waitMs?: number
  /** Cache re-check interval while waiting. Default 50 ms. */
  pollMs?: number
  /** Told about failures that do not fail the request (a lost publish). */
  onWarning?: (message: string, error: unknown) => void
}

export interface RedisCodeExchangeCoordinator extends CodeExchangeCoordinator {
  /** Full Redis key of a code's lock (tests take it by hand to play a crashed holder). */
  lockKeyOf(codeHash: string): string
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Create the Redis coordinator. */
export function createRedisCodeExchangeCoordinator(
  redis: RedisConnection,
  lock: RedisLock,
  outcomes: RedisCodeOutcomeCache,
  opts: RedisCodeExchangeOptions = {},
): RedisCodeExchangeCoordinator {
  const lockTtlMs = opts.lockTtlMs ?? 15_000
  const waitMs = opts.waitMs ?? lockTtlMs + 2_000
  const pollMs = opts.pollMs ?? 50
  const warn = opts.onWarning ?? (() => {})
  const lockKeyOf = (codeHash: string) => redis.key('lock', 'code', codeHash)
  const channelOf = (codeHash: string) => redis.key('code', codeHash)

  async function hold(
    codeHash: string,
    token: string,
    exchange: () => Promise<CodeOutcome>,
  ): Promise<CodeOutcome> {
    const lockKey = lockKeyOf(codeHash)
    const stop = lock.keepAlive(lockKey, token, lockTtlMs)
    try {
      const outcome = await exchange()
      try {
        await redis.publish(channelOf(codeHash), outcomes.encode(codeHash, outcome))
      } catch (error) {
        // Waiters still find a cached outcome by polling, or take the lock over once it is free.
        warn('could not publish a code outcome', error)
      }
      return outcome
    } finally {
      stop()
      await lock.release(lockKey, token)
    }
  }

  /**
   * Wait for another instance's outcome. Null: the lock came free without a cached outcome (the
   * holder failed before caching, or crashed and its lock expired), or the deadline passed.
   */
  async function waitForOutcome(codeHash: string, deadline: number): Promise<CodeOutcome | null> {
    const inbox: { outcome: CodeOutcome | null; wake: (() => void) | null } = {
      outcome: null,
      wake: null,
    }
    let unlisten = () => {}
    try {
      unlisten = await redis.listen(channelOf(codeHash), (message) => {
        inbox.outcome = outcomes.decode(codeHash, message) ?? inbox.outcome
        inbox.wake?.()
      })
    } catch (error) {
      // Subscribing failed (a Redis hiccup): polling alone still works, and fails loudly if down.
      warn('could not subscribe to a code channel; polling', error)
    }
    try {
      for (;;) {
        if (inbox.outcome !== null) return inbox.outcome
        const [cached, locked] = await redis.call('code wait', async (c) => {
          const results = await c
            .pipeline()
            .get(outcomes.keyOf(codeHash))
            .exists(lockKeyOf(codeHash))
            .exec()
          const failed = results?.find(([error]) => error)
          if (results === null || failed) throw failed?.[0] ?? new Error('pipeline aborted')
          return [results[0]?.[1] as string | null, results[1]?.[1] === 1] as const
        })
        if (cached !== null) {
          const outcome = outcomes.decode(codeHash, cached)
          if (outcome !== null) return outcome
        }
        // The holder publishes before it releases: a free lock may come with a message just read.
        if (!locked) return inbox.outcome
        const left = deadline - Date.now()
        if (left <= 0) return null
        await Promise.race([
          sleep(Math.min(left, pollMs)),
          new Promise<void>((resolve) => (inbox.wake = resolve)),
        ])
        inbox.wake = null
      }
    } finally {
      unlisten()
    }
  }

  return {
    lockKeyOf,
    async run(codeHash, exchange) {
      const deadline = Date.now() + waitMs
      for (;;) {
        const token = await lock.tryAcquire(lockKeyOf(codeHash), lockTtlMs)
        if (token !== null) return hold(codeHash, token, exchange)
        if (Date.now() >= deadline) {
          throw new StoreUnavailableError(
            'Timed out waiting for another instance to exchange a code',
          )
        }
        const outcome = await waitForOutcome(codeHash, deadline)
        if (outcome !== null) return outcome
      }
    },
  }
}
