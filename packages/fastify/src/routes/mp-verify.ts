/**
 * `mpVerifyDir`: WeChat's `MP_verify_*.txt` domain-check files, served at the root as plain files
 * (never the SPA). Before a domain may be a 网页授权域名, the admin console asks for such a file at
 * the domain's root, and WeChat fetches it to prove the site is the account's.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (网页授权域名)
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyPluginAsync, FastifySchema } from 'fastify'

/** The names WeChat gives these files. */
const MP_VERIFY = /^MP_verify_[A-Za-z0-9]{1,64}\.txt$/

const mpVerifyRoutes: FastifyPluginAsync<{ dir: string }> = async (app, { dir }) => {
  app.get(
    '/:file(^MP_verify_[A-Za-z0-9]{1,64}\\.txt$)',
    // Kept out of an OpenAPI description: `hide` is @fastify/swagger's (its type augmentation is the
    // app's, when it uses swagger at all).
    { schema: { hide: true } as FastifySchema },
    async (request, reply) => {
      const { file } = request.params as { file: string }
      const path = join(dir, file)
      if (!MP_VERIFY.test(file) || !existsSync(path)) return reply.callNotFound()
      return reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(readFileSync(path))
    },
  )
}

export default mpVerifyRoutes
