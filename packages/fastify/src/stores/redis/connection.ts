/**
 * The Redis connection of distributed mode (docs/architecture.md#storage), tuned to fail fast and heal by itself:
 * - no offline queue and one retry per command: while Redis is down a command fails at once (the
 *   request answers 503 SERVICE_UNAVAILABLE) instead of piling up in memory;
 * - a short connect and command timeout, so a hung server costs a request seconds, not minutes;
 * - reconnection forever with a capped backoff, so the instance recovers on its own when Redis
 *   returns (readiness turns green again, nothing to restart).
 * Every command goes through `call()`, which turns any driver failure into a StoreUnavailableError.
 * A second connection carries pub/sub (a subscribed connection can issue no other command).
 */
import { Redis, type RedisOptions } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import { StoreUnavailableError } from '../unavailable.js'

export interface RedisConnectionOptions {
  /** Prefix of every key and channel (default `wxauth:`): several deployments can share one Redis. */
  keyPrefix?: string
  log: FastifyBaseLogger
  /** How long the boot waits for Redis before giving up. Default 10 s. */
  bootTimeoutMs?: number
  /** Per-command timeout. Default 2 s. */
  commandTimeoutMs?: number
}

export interface RedisConnection {
  readonly client: Redis
  /** `prefix + parts.join(':')`. */
  key(...parts: string[]): string
  /** Run commands on the client; any failure (down, timeout, reply error) is a StoreUnavailableError. */
  call<T>(what: string, run: (client: Redis) => Promise<T>): Promise<T>
  /**
   * Subscribe `handler` to a channel (reference-counted over one subscriber connection). Resolves
   * once subscribed; the returned function unsubscribes. Throws StoreUnavailableError when down.
   */
  listen(channel: string, handler: (message: string) => void): Promise<() => void>
  publish(channel: string, message: string): Promise<void>
  /** Throws when Redis does not answer PING. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** Reconnect delay: 50 ms doubling up to 2 s, forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2_000)
}

function options(commandTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    retryStrategy: reconnectDelay,
    // Wait for a restarted server to finish loading its append-only file before using it.
    enableReadyCheck: true,
  }
}

/**
 * Log each connection loss and each recovery once, not every reconnect attempt (those go to debug).
 * Returns a function to call before closing on purpose, so a shutdown is not logged as an outage.
 */
function watch(client: Redis, name: string, log: FastifyBaseLogger): () => void {
  let healthy = false
  let closing = false
  client.on('ready', () => {
    healthy = true
    log.info({ redis: name }, 'redis ready')
  })
  client.on('close', () => {
    if (healthy && !closing) log.error({ redis: name }, 'redis connection lost; reconnecting')
    healthy = false
  })
  client.on('error', (error: Error) => {
    log.debug({ redis: name, err: error }, 'redis connection error')
  })
  return () => {
    closing = true
  }
}

async function connect(client: Redis, bootTimeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const ready = new Promise<void>((resolve) => client.once('ready', resolve))
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`Redis did not answer within ${bootTimeoutMs} ms`)),
      bootTimeoutMs,
    )
  })
  // connect() rejects on the first failed attempt, but the retry strategy keeps trying: wait for
  // 'ready' (or the boot timeout) instead.
  client.connect().catch(() => {})
  try {
    await Promise.race([ready, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Connect to `url` (both connections) and wait until Redis is ready, or throw after the boot timeout
 * (the URL may hold a password: it is never logged).
 */
export async function connectRedis(
  url: string,
  opts: RedisConnectionOptions,
): Promise<RedisConnection> {
  const prefix = opts.keyPrefix ?? 'wxauth:'
  const client = new Redis(url, options(opts.commandTimeoutMs ?? 2_000))
  const subscriber = client.duplicate()
  const closing = [watch(client, 'commands', opts.log), watch(subscriber, 'pubsub', opts.log)]
  const bootTimeoutMs = opts.bootTimeoutMs ?? 10_000
  try {
    await Promise.all([connect(client, bootTimeoutMs), connect(subscriber, bootTimeoutMs)])
  } catch (error) {
    client.disconnect()
    subscriber.disconnect()
    throw error
  }

  const handlers = new Map<string, Set<(message: string) => void>>()
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message)
  })

  async function call<T>(what: string, run: (client: Redis) => Promise<T>): Promise<T> {
    try {
      return await run(client)
    } catch (error) {
      throw new StoreUnavailableError(`Redis ${what} failed`, { cause: error })
    }
  }

  return {
    client,
    key: (...parts) => prefix + parts.join(':'),
    call,
    async listen(channel, handler) {
      let set = handlers.get(channel)
      if (set === undefined) handlers.set(channel, (set = new Set()))
      set.add(handler)
      const remove = () => {
        set.delete(handler)
        if (set.size > 0 || handlers.get(channel) !== set) return
        handlers.delete(channel)
        // Best effort: a failed unsubscribe only leaves a channel nobody listens to.
        subscriber.unsubscribe(channel).catch(() => {})
      }
      try {
        await subscriber.subscribe(channel)
      } catch (error) {
        remove()
        throw new StoreUnavailableError('Redis subscribe failed', { cause: error })
      }
      return remove
    },
    async publish(channel, message) {
      await call('publish', (c) => c.publish(channel, message))
    },
    async ping() {
      await call('ping', (c) => c.ping())
    },
    async close() {
      for (const markClosing of closing) markClosing()
      handlers.clear()
      await Promise.allSettled([client.quit(), subscriber.quit()])
      client.disconnect()
      subscriber.disconnect()
    },
  }
}
