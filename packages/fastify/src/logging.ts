/**
 * Logging that never carries a secret: pino options with the secret-bearing keys and headers
 * redacted, URLs logged without the query values that can carry a code or a token, and one line per
 * request. A code is only ever logged as `codeHash` (util/ids.ts). Exported for the app's own logger:
 * the plugin logs through whatever logger the app gave Fastify.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

/** Query parameters whose values never reach a log line. */
const SENSITIVE_QUERY = /^(code|state|access_token|refresh_token|secret|appsecret|ticket)$/i
/**
 * After one level of nested redaction, any of these names followed by `=` (literally or
 * percent-encoded, at any depth) that is not already `[redacted]` means a value we could not take
 * apart safely: the whole value is redacted instead.
 */
const SENSITIVE_ASSIGNMENT =
  /(code|state|access_token|refresh_token|secret|appsecret|ticket)=(?!\[redacted\])/i
const REDACTED = '[redacted]'

/**
 * What is logged of a URL at most. Longer ones are cut (before any parsing, so the work per request
 * is bounded whatever the client sends) and end in a marker saying how much was left out. Node's
 * default header limit lets a request line reach 16 KB; nothing legitimate here comes near 2 KB.
 */
export const MAX_LOGGED_URL = 2048
/** Logged instead of a URL (or a request/response/error) that could not be serialised. */
export const UNLOGGABLE = '[unloggable]'

/** `%XX` escapes of ASCII characters only: never throws, whatever the input. */
function decodeAscii(text: string): string {
  return text.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  )
}

/** Percent-decoding that never throws: UTF-8 when well formed, else the ASCII escapes only. */
function decoded(text: string): string {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return decodeAscii(text)
  }
}

/** A query string (no leading `?`) with the sensitive values replaced; no nested parsing. */
function redactPairs(query: string, nested: (value: string) => string): string {
  const pairs = query.split('&')
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!
    const eq = pair.indexOf('=')
    if (eq === -1) continue
    const key = pair.slice(0, eq)
    pairs[i] = SENSITIVE_QUERY.test(decoded(key))
      ? `${key}=${REDACTED}`
      : `${key}=${nested(pair.slice(eq + 1))}`
  }
  return pairs.join('&')
}

/** A URL-ish string with its own query's sensitive values redacted (one level: no recursion). */
function redactUrlOnce(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : `${url.slice(0, q + 1)}${redactPairs(url.slice(q + 1), (v) => v)}`
}

/**
 * A query value that is itself a URL (`/api/jssdk/config?url=…` signs the iOS entry URL, which
 * still carries WeChat's `code` and `state`): decoded once, its own sensitive values are redacted
 * too, before and after any `#`. Deeper nesting is not taken apart: if a sensitive name still appears
 * assigned anywhere in the value (at any encoding depth), the whole value is redacted.
 */
function safeNestedValue(value: string): string {
  const plain = decoded(value)
  let result = value
  if (plain.includes('?')) {
    const hashAt = plain.indexOf('#')
    const safe =
      hashAt === -1
        ? redactUrlOnce(plain)
        : `${redactUrlOnce(plain.slice(0, hashAt))}#${redactUrlOnce(plain.slice(hashAt + 1))}`
    if (safe !== plain) result = encodeURIComponent(safe).replace(/%5B/g, '[').replace(/%5D/g, ']')
  }
  // Up to three more decodings (each linear) to see through double and triple encoding.
  let probe = decoded(result)
  for (let i = 0; i < 3 && probe.includes('%'); i++) probe = decodeAscii(probe)
  return SENSITIVE_ASSIGNMENT.test(probe) ? REDACTED : result
}

/**
 * `request.url` as it may be logged: sensitive query values replaced by `[redacted]`, also inside
 * nested URLs, and at most {@link MAX_LOGGED_URL} characters. Linear in the (capped) input, no
 * recursion, and it never throws: a request line can be anything a client sends.
 */
export function safeUrl(url: string): string {
  try {
    if (typeof url !== 'string') return UNLOGGABLE
    // Cut first, so nothing below ever sees more than MAX_LOGGED_URL characters. A value cut in
    // half keeps its key (which comes first), so it is still recognised and redacted.
    const head = url.length > MAX_LOGGED_URL ? url.slice(0, MAX_LOGGED_URL) : url
    const q = head.indexOf('?')
    const safe =
      q === -1 ? head : `${head.slice(0, q + 1)}${redactPairs(head.slice(q + 1), safeNestedValue)}`
    // Redaction and re-encoding can lengthen it: the cap holds for the output too.
    if (url.length <= MAX_LOGGED_URL && safe.length <= MAX_LOGGED_URL) return safe
    return `${safe.slice(0, MAX_LOGGED_URL)}…[cut: ${url.length} characters in all]`
  } catch {
    return UNLOGGABLE
  }
}

/** Run a serializer; anything it throws becomes a fixed placeholder instead of a crash. */
function guarded<T, R>(serialize: (value: T) => R): (value: T) => R | string {
  return (value) => {
    try {
      return serialize(value)
    } catch {
      return UNLOGGABLE
    }
  }
}

/** pino's levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

const SECRET_KEYS = ['secret', 'access_token', 'refresh_token', 'code', 'ticket', 'cookieSecret']

/** pino options for a logger that redacts what wxauth handles (server, tests, bench). */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-wechat-code"]',
        'res.headers["set-cookie"]',
        'headers.cookie',
        'headers.authorization',
        'headers["x-wechat-code"]',
        ...SECRET_KEYS,
        ...SECRET_KEYS.map((key) => `*.${key}`),
      ],
      censor: '[redacted]',
    },
    // Each guarded: a serializer that throws would take the request (or the process) down with it.
    serializers: {
      req: guarded((req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: safeUrl(req.url ?? ''),
      })),
      res: guarded((res: { statusCode?: number }) => ({ statusCode: res.statusCode })),
      err: guarded((error: Error & { code?: unknown }) =>
        // `code` is a redacted key (it may be a WeChat code); keep error codes under another name.
        ({ ...pino.stdSerializers.err(error), errorCode: error.code }),
      ),
    },
  }
}

/** A JSON logger writing to `stream` (default stdout). */
export function createLogger(level: LogLevel, stream?: DestinationStream): Logger {
  return pino(loggerOptions(level), stream ?? pino.destination({ dest: 1, sync: false }))
}

/**
 * One line per request, written when it completes (Fastify's default is two: incoming + completed),
 * with the URL's sensitive query values redacted and no headers at all.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    // Runs in the response's 'finish' event: a throw here would be an uncaught exception.
    try {
      const line = {
        method: request.method,
        url: safeUrl(request.url),
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      }
      if (error) request.log.error({ ...line, err: error }, 'request errored')
      else request.log.info(line, 'request')
    } catch {
      // Nothing to do: a request log line is not worth a crash.
    }
  }
}
