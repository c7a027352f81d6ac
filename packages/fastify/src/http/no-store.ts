/** `Cache-Control: no-store` for routes whose answers are about one browser (never cached anywhere). */
import type { onRequestHookHandler } from 'fastify'

/** An onRequest hook; synchronous, so it costs no promise per request. */
export const noStore: onRequestHookHandler = (_request, reply, done) => {
  reply.header('cache-control', 'no-store')
  done()
}
