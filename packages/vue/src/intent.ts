/**
 * The login intent: what the user was doing when a tap sent them to WeChat's consent page (join,
 * refresh the profile…), so it is completed when they come back instead of leaving them to tap
 * again and wonder whether it worked (docs/architecture.md#the-login-flow, step 1).
 *
 * One small record in `sessionStorage` (per tab, it survives the round trip to WeChat), bound to the
 * `state` of the authorize URL it was made for. When the page lands, the record is always removed:
 * it is kept, in memory only, when WeChat came back with a code *and that state*; a cancel (`?state=`
 * alone), another login's state or no callback at all drops it. So a reload, the back button or a
 * stale record from another attempt can never complete it a second time.
 */
import type { Landing } from './landing.js'

/** What the user was doing when the login started. */
export interface LoginIntent {
  /** The app's name for it (`'join'`, `'refresh'`…); handlers are registered per action. */
  action: string
  /** The route the login returns to. */
  returnPath: string
  /** When the login started (ms since the epoch). */
  at: number
}

/** sessionStorage key prefix; the instance id follows, so two instances never take each other's. */
export const INTENT_KEY = 'wxauth:intent'

/**
 * A record older than this is dropped when the page lands: a consent page left open for longer is a
 * new visit, not the tap the user remembers. WeChat's codes themselves last 5 minutes.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
export const INTENT_TTL_MS = 10 * 60_000

/** The intents of one `createWechatAuth()` instance. */
export interface IntentStore {
  /** The intent this page landed back with (a code and the intent's state), until taken. */
  landed(): LoginIntent | null
  /** Take the landed intent: it is gone before its handler runs. */
  take(): LoginIntent | null
  /** What a cancelled login (the user tapped 拒绝) was for; nothing is kept to complete. */
  readonly cancelled: string | undefined
  /** Remember `intent` for the login whose authorize URL carries `state`. */
  save(intent: LoginIntent, state: string): void
}

type IntentStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

interface StoredIntent extends LoginIntent {
  state: string
}

function parse(raw: string | null): StoredIntent | null {
  if (raw === null) return null
  try {
    const v = JSON.parse(raw) as Partial<StoredIntent> | null
    if (
      typeof v?.action === 'string' &&
      typeof v.returnPath === 'string' &&
      typeof v.at === 'number' &&
      typeof v.state === 'string'
    ) {
      return { action: v.action, returnPath: v.returnPath, at: v.at, state: v.state }
    }
  } catch {
    // a corrupted record is no intent
  }
  return null
}

/**
 * Read (and remove) the stored intent when the page lands, and keep the one this landing completes.
 * `storage` `null` (or throwing): intents live for this page only, so none survives the trip.
 */
export function createIntentStore(
  storage: IntentStorage | null | undefined,
  id: string,
  landing: Pick<Landing, 'pending' | 'cancelled' | 'state'>,
  now: () => number = Date.now,
): IntentStore {
  const key = `${INTENT_KEY}:${id}`
  let stored: StoredIntent | null = null
  try {
    if (storage) {
      stored = parse(storage.getItem(key))
      storage.removeItem(key)
    }
  } catch {
    stored = null // storage refused: no intent, never a replay
  }
  const fresh =
    stored !== null &&
    landing.state !== null &&
    stored.state === landing.state &&
    now() - stored.at >= 0 &&
    now() - stored.at < INTENT_TTL_MS
  let landed: LoginIntent | null =
    fresh && landing.pending !== null
      ? { action: stored!.action, returnPath: stored!.returnPath, at: stored!.at }
      : null

  return {
    landed: () => landed,
    take() {
      const intent = landed
      landed = null
      return intent
    },
    cancelled: fresh && landing.cancelled ? stored!.action : undefined,
    save(intent, state) {
      try {
        storage?.setItem(key, JSON.stringify({ ...intent, state } satisfies StoredIntent))
      } catch {
        // quota or disabled storage: the login still works, the user taps once more
      }
    },
  }
}
