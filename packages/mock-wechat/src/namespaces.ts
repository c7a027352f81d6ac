/**
 * Namespaces: independent simulated worlds in one simulator, so parallel suites can share it
 * without seeing each other's consent mode, failures, latency, clock, rate limits or call log.
 * A call belongs to the namespace of its app (`namespace` on the app entry, `default` when unset);
 * control calls pick one with the `X-Mock-Namespace` header (or `?namespace=`). Codes and tokens
 * live in one store, keyed by appid, so they follow their app.
 */
import type { MockApp } from './apps.js'
import { CallLog } from './calls.js'
import { createClock, type Clock } from './clock.js'
import { ConsentState } from './consent.js'
import { Faults } from './faults.js'
import { Latency } from './latency.js'
import { AuthorizeRateLimiter } from './rate-limit.js'

export const DEFAULT_NAMESPACE = 'default'

/** What one namespace holds. */
export class Namespace {
  readonly clock: Clock
  readonly consent = new ConsentState()
  readonly faults = new Faults()
  readonly latency = new Latency()
  readonly calls = new CallLog()
  readonly rateLimiter: AuthorizeRateLimiter

  constructor(
    readonly name: string,
    /** The apps whose calls land here. */
    readonly appids: ReadonlySet<string>,
    options: { now?: () => number; authorizeRateLimitPerMinute: number },
  ) {
    this.clock = createClock(options.now)
    this.rateLimiter = new AuthorizeRateLimiter(options.authorizeRateLimitPerMinute)
  }
}

/** The namespaces of one simulator: `default` plus every one an app names. */
export class Namespaces {
  private byName = new Map<string, Namespace>()
  private byApp = new Map<string, Namespace>()

  constructor(
    apps: ReadonlyMap<string, MockApp>,
    options: { now?: () => number; authorizeRateLimitPerMinute: number },
  ) {
    const members = new Map<string, Set<string>>([[DEFAULT_NAMESPACE, new Set()]])
    for (const app of apps.values()) {
      const name = app.namespace ?? DEFAULT_NAMESPACE
      const set = members.get(name) ?? new Set<string>()
      set.add(app.appid)
      members.set(name, set)
    }
    for (const [name, appids] of members) {
      const namespace = new Namespace(name, appids, options)
      this.byName.set(name, namespace)
      for (const appid of appids) this.byApp.set(appid, namespace)
    }
  }

  /** The namespace with this name, if an app names it (or it is `default`). */
  get(name: string): Namespace | undefined {
    return this.byName.get(name)
  }

  /** Where a call for `appid` belongs; `default` for an unknown or absent appid. */
  forApp(appid: string | undefined): Namespace {
    return (appid === undefined ? undefined : this.byApp.get(appid)) ?? this.defaultNamespace
  }

  get defaultNamespace(): Namespace {
    const namespace = this.byName.get(DEFAULT_NAMESPACE)
    if (!namespace) throw new Error('the default namespace always exists')
    return namespace
  }

  names(): string[] {
    return [...this.byName.keys()]
  }

  all(): Namespace[] {
    return [...this.byName.values()]
  }
}
