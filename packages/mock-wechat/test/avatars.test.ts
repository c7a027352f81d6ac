import { describe, expect, it } from 'vitest'
import { AVATAR_SIZES } from '../src/index.js'
import { startMock } from './helpers.js'

/** What `avatarUrl()` in @wxauth/shared does: replace the trailing size segment. */
function resize(headimgurl: string, size: number): string {
  return headimgurl.replace(/\/\d+$/, `/${size}`)
}

describe('GET /mmopen/:persona/:size', () => {
  it('serves every WeChat size at the URL userinfo hands out, resized by its last segment', async () => {
    const mock = await startMock()
    const personas = (await mock.read('/__mock/personas')).body as Array<{ headimgurl: string }>
    const headimgurl = personas[0]?.headimgurl ?? ''
    expect(headimgurl).toMatch(/\/132$/)
    for (const size of AVATAR_SIZES) {
      const response = await fetch(resize(headimgurl, size))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('image/svg+xml')
      const svg = await response.text()
      const px = size === 0 ? 640 : size // "0 代表640*640"
      expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${px}" height="${px}"`))
    }
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
