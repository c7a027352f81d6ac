/**
 * A Redis mutex (the single-instance pattern of https://redis.io/docs/latest/develop/use/patterns/distributed-locks/):
 * `SET key <random token> NX PX ttl` takes it; release and extension are Lua scripts that act only
 * while the key still holds our token, so a holder whose lock expired (and was taken by another
 * instance) can never release or extend someone else's lock. A holder renews its lock while it works;
 * a crashed holder stops renewing, and the lock expires after `ttlMs`, so nothing waits forever.
 */
import { nanoid } from 'nanoid'
import type { RedisConnection } from './connection.js'
import { StoreUnavailableError } from '../unavailable.js'

/** Delete the key only if it still holds our token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`
/** Push the expiry back only if the key still holds our token. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`

export interface WithLockOptions {
  /** Lock lifetime without renewal (the holder renews every ttlMs / 3). */
  ttlMs: number
  /** Give up waiting after this long (StoreUnavailableError). Default ttlMs + 1 s. */
  waitMs?: number
  /** Re-check interval while waiting. Default 25 ms. */
  pollMs?: number
}

export interface RedisLock {
  /** Take the lock: its token, or null when someone else holds it. Keys are full Redis keys. */
  tryAcquire(key: string, ttlMs: number): Promise<string | null>
  /** Release our lock (false: it had expired or changed hands). Never throws. */
  release(key: string, token: string): Promise<boolean>
  /** Extend our lock to `ttlMs` from now (false: no longer ours). */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>
  /** Renew `token` every ttlMs / 3 until the returned function is called. */
  keepAlive(key: string, token: string, ttlMs: number): () => void
  /**
   * Run `fn` holding the lock, waiting (bounded) while another holder has it. Whatever `fn` reads,
   * it must re-read after the lock is taken: the previous holder may have done the work already.
   */
  withLock<T>(key: string, fn: () => Promise<T>, opts: WithLockOptions): Promise<T>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Create the lock helpers over a connection. */
export function createRedisLock(redis: RedisConnection): RedisLock {
  async function tryAcquire(key: string, ttlMs: number): Promise<string | null> {
    const token = nanoid()
    const answer = await redis.call('lock', (c) => c.set(key, token, 'PX', ttlMs, 'NX'))
    return answer === 'OK' ? token : null
  }

  async function release(key: string, token: string): Promise<boolean> {
    try {
      return (await redis.call('unlock', (c) => c.eval(RELEASE, 1, key, token))) === 1
    } catch {
      // Redis is down: the lock expires by itself.
      return false
    }
  }

  async function extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await redis.call('lock renewal', (c) => c.eval(EXTEND, 1, key, token, ttlMs))) === 1
  }

  function keepAlive(key: string, token: string, ttlMs: number): () => void {
    const timer = setInterval(
      () => {
        // A failed renewal is not fatal: the work goes on, at worst another instance repeats it.
        extend(key, token, ttlMs).catch(() => {})
      },
      Math.max(10, Math.floor(ttlMs / 3)),
    )
    timer.unref()
    return () => clearInterval(timer)
  }

  async function withLock<T>(key: string, fn: () => Promise<T>, opts: WithLockOptions) {
    const { ttlMs, waitMs = ttlMs + 1_000, pollMs = 25 } = opts
    const deadline = Date.now() + waitMs
    for (;;) {
      const token = await tryAcquire(key, ttlMs)
      if (token !== null) {
        const stop = keepAlive(key, token, ttlMs)
        try {
          return await fn()
        } finally {
          stop()
          await release(key, token)
        }
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new StoreUnavailableError('Timed out waiting for a Redis lock')
      // A little jitter so waiters on several instances do not retry in lockstep.
      await sleep(Math.min(left, pollMs + Math.floor(Math.random() * pollMs)))
    }
  }

  return { tryAcquire, release, extend, keepAlive, withLock }
}
