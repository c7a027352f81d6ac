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

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text // keep it as sent
  }
}

/**
 * A query value that is itself a URL (`/api/jssdk/config?url=…` signs the iOS entry URL, which
 * still carries WeChat's `code` and `state`): its own sensitive values are redacted too, before and
 * after any `#`.
 */
function safeNestedValue(value: string): string {
  const plain = decoded(value)
  if (!plain.includes('?')) return value
  const hashAt = plain.indexOf('#')
  const safe =
    hashAt === -1
      ? safeUrl(plain)
      : `${safeUrl(plain.slice(0, hashAt))}#${safeUrl(plain.slice(hashAt + 1))}`
  if (safe === plain) return value
  return encodeURIComponent(safe).replace(/%5B/g, '[').replace(/%5D/g, ']')
}

/** `request.url` with sensitive query values replaced by `[redacted]`, also inside nested URLs. */
export function safeUrl(url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq === -1) return pair
      const key = pair.slice(0, eq)
      if (SENSITIVE_QUERY.test(decoded(key))) return `${key}=[redacted]`
      return `${key}=${safeNestedValue(pair.slice(eq + 1))}`
    })
    .join('&')
  return `${url.slice(0, q)}?${query}`
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
    serializers: {
      req(req: { id?: unknown; method?: string; url?: string }) {
        return { id: req.id, method: req.method, url: safeUrl(req.url ?? '') }
      },
      res(res: { statusCode?: number }) {
        return { statusCode: res.statusCode }
      },
      err(error: Error & { code?: unknown }) {
        // `code` is a redacted key (it may be a WeChat code); keep error codes under another name.
        return { ...pino.stdSerializers.err(error), errorCode: error.code }
      },
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
    const line = {
      method: request.method,
      url: safeUrl(request.url),
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    }
    if (error) request.log.error({ ...line, err: error }, 'request errored')
    else request.log.info(line, 'request')
  }
}
