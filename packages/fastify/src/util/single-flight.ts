/**
 * "Join the request in flight": concurrent callers asking for the same key share one promise, which
 * is forgotten once it settles (success or failure), so the next caller starts afresh. One helper
 * for every place that needs it: code exchanges, follower-status lookups.
 */
export interface SingleFlight<T> {
  /** The promise in flight for `key`, or `start()`'s, shared by every caller until it settles. */
  run(key: string, start: () => Promise<T>): Promise<T>
}

/** Create a single-flight group. */
export function singleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>()
  return {
    run(key, start) {
      const running = inFlight.get(key)
      if (running !== undefined) return running
      // Registered synchronously, before any await, so every concurrent caller finds it.
      const promise = start().finally(() => inFlight.delete(key))
      inFlight.set(key, promise)
      return promise
    },
  }
}
