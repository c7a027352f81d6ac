import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { AVATAR_SIZES } from '../src/index.js'
import { startMock } from './helpers.js'

/** What `avatarUrl()` in @wxauth/shared does: replace the trailing size segment. */
function resize(headimgurl: string, size: number): string {
  return headimgurl.replace(/\/\d+$/, `/${size}`)
}

/** Width and height from the first SOF0 (baseline) segment of a JPEG. */
function sof0Size(bytes: Buffer): { width: number; height: number } | undefined {
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined
    const marker = bytes[at + 1]
    const length = bytes.readUInt16BE(at + 2)
    if (marker === 0xc0)
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) }
    at += 2 + length
  }
  return undefined
}

/**
 * headimgurl: "用户头像，最后一个数值代表正方形头像大小（有0、46、64、96、132数值可选，0代表640*640正方形
 * 头像）"; WeChat's CDN serves JPEG.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
describe('GET /mmopen/:persona/:size', () => {
  it('serves a real JPEG at every WeChat size, /0 being 640×640, at the URL userinfo hands out', async () => {
    const mock = await startMock()
    const personas = (await mock.read('/__mock/personas')).body as Array<{ headimgurl: string }>
    const headimgurl = personas[0]?.headimgurl ?? ''
    expect(headimgurl).toMatch(/\/132$/)
    for (const size of AVATAR_SIZES) {
      const response = await fetch(resize(headimgurl, size))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('image/jpeg')
      const bytes = Buffer.from(await response.arrayBuffer())
      const px = size === 0 ? 640 : size
      expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8') // SOI
      expect(bytes.subarray(6, 11).toString('latin1')).toBe('JFIF\u0000') // APP0
      expect(sof0Size(bytes)).toEqual({ width: px, height: px })
      const decoded = jpeg.decode(bytes, { useTArray: true })
      expect([decoded.width, decoded.height]).toEqual([px, px])
    }
  })

  it('draws each persona differently, the snapshot persona in WeChat grey', async () => {
    const mock = await startMock()
    const pixel = async (persona: string, x: number, y: number) => {
      const bytes = Buffer.from(await (await mock.fetch(`/mmopen/${persona}/96`)).arrayBuffer())
      const { data, width } = jpeg.decode(bytes, { useTArray: true })
      const at = (y * width + x) * 4
      return [data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0]
    }
    const [r, g, b] = await pixel('follower', 2, 2) // #07c160, WeChat green
    expect(g).toBeGreaterThan(150)
    expect(r).toBeLessThan(60)
    expect(b).toBeLessThan(130)
    const grey = await pixel('snapshot', 2, 2) // #c8c8c8
    for (const channel of grey) expect(Math.abs(channel - 200)).toBeLessThan(16)
    const face = await pixel('snapshot', 48, 36) // the silhouette's head is white
    for (const channel of face) expect(channel).toBeGreaterThan(235)
  })

  it('404s for other sizes, unknown personas and the persona without an avatar', async () => {
    const mock = await startMock()
    for (const path of [
      '/mmopen/alice/100',
      '/mmopen/alice/abc',
      '/mmopen/mallory/132',
      '/mmopen/noavatar/132',
    ]) {
      expect((await mock.fetch(path)).status).toBe(404)
    }
  })
})
