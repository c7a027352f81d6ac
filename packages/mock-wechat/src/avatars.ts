/**
 * Avatars served by the simulator itself, so pages work offline. Paths mimic WeChat's CDN
 * (`https://thirdwx.qlogo.cn/mmopen/<id>/132`): the last segment is the size.
 */
import type { FastifyPluginAsync } from 'fastify'
import { AVATAR_SIZES, PERSONAS, type Persona } from './personas.js'
import { escapeHtml } from './pages/html.js'

/** Pixel size for a size segment: "0 代表640*640正方形头像".
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html */
function pixels(size: number): number {
  return size === 0 ? 640 : size
}

/**
 * A square SVG avatar: a coloured tile with the persona's initial, or WeChat's grey silhouette for
 * the snapshot persona's virtual account.
 */
export function avatarSvg(persona: Persona, size: number): string {
  const px = pixels(size)
  const figure = persona.snapshot
    ? '<circle cx="50" cy="38" r="17" fill="#fff"/><path d="M18 92c2-20 16-30 32-30s30 10 32 30z" fill="#fff"/>'
    : `<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="52" font-weight="600" fill="#fff">${escapeHtml(persona.id.charAt(0).toUpperCase())}</text>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 100 100"><rect width="100" height="100" fill="${escapeHtml(persona.color)}"/>${figure}</svg>`
}

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
        .header('content-type', 'image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(avatarSvg(persona, size))
    },
  )
}
