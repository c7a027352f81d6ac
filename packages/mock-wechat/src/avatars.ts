/**
 * Avatars served by the simulator itself, so pages work offline. Paths mimic WeChat's CDN
 * (`https://thirdwx.qlogo.cn/mmopen/<id>/132`): the last segment is the size, and the image is a
 * JPEG of that size (`0` is 640×640).
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
import type { FastifyPluginAsync } from 'fastify'
import { avatarJpeg } from './avatar-image.js'
import { AVATAR_SIZES, PERSONAS } from './personas.js'

/** `GET /mmopen/:persona/:size` for personas that have an avatar and WeChat's five sizes. */
export const avatarRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { persona: string; size: string } }>(
    '/mmopen/:persona/:size',
    async (request, reply) => {
      const persona = PERSONAS.find((p) => p.id === request.params.persona && p.hasAvatar)
      const size = Number(request.params.size)
      if (!persona || !/^\d+$/.test(request.params.size) || !AVATAR_SIZES.some((s) => s === size)) {
        return reply.code(404).type('text/plain; charset=utf-8').send('no such avatar')
      }
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'public, max-age=86400')
        .send(avatarJpeg(persona, size))
    },
  )
}
