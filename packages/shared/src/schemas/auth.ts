/**
 * The one definition of what a WeChat `code` and our `state` look like, used wherever they arrive:
 * the `X-WeChat-Code`/`X-WeChat-State` headers, the `POST /api/auth/session` body, the URL.
 */
import Type from 'typebox'
import { CODE_HEADER, CODE_PATTERN, STATE_HEADER, STATE_PATTERN } from '../auth-params.js'

/** The code WeChat appended to redirect_uri: single use, 5 minutes. */
export const CodeSchema = Type.String({
  pattern: CODE_PATTERN.source,
  description: 'The code WeChat appended to redirect_uri (single use, valid 5 minutes).',
  examples: ['061Xyz0w3PeHm13Kkp1w3ZqBqf0Xyz0q'],
})

/** The state that came back with the code; it must match the state cookie of this browser. */
export const StateSchema = Type.String({
  pattern: STATE_PATTERN.source,
  description:
    'The state that came back with the code. It must match the state cookie that ' +
    '`GET /api/auth/authorize-url` set in this browser, so send that cookie too.',
  examples: ['Q2ZrX0t4U2p0bE9aYzVvRkN6a2JQdGhR'],
})

/** `X-WeChat-Code` / `X-WeChat-State`, accepted by every protected route. */
export const AuthHeadersSchema = Type.Object({
  [CODE_HEADER]: Type.Optional(CodeSchema),
  [STATE_HEADER]: Type.Optional(StateSchema),
})
