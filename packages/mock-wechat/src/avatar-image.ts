/**
 * The avatars' pixels: a square JPEG per persona and size, drawn here (a tile in the persona's
 * colour with its initial, or WeChat's grey silhouette for the snapshot persona's virtual account)
 * and encoded with jpeg-js, so nothing native is needed and nothing is shipped. WeChat's avatar CDN
 * serves JPEG; the size is the last path segment, "0 代表640*640正方形头像".
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
import jpeg from 'jpeg-js'
import type { Persona } from './personas.js'

/** Pixel size for a size segment (`0` is the largest, 640×640). */
export function avatarPixels(size: number): number {
  return size === 0 ? 640 : size
}

/** 5×7 glyphs for the personas' initials (one string per row, `#` is ink). */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  A: [' ### ', '#   #', '#   #', '#####', '#   #', '#   #', '#   #'],
  E: ['#####', '#    ', '#    ', '#### ', '#    ', '#    ', '#####'],
  F: ['#####', '#    ', '#    ', '#### ', '#    ', '#    ', '#    '],
  N: ['#   #', '##  #', '# # #', '#  ##', '#   #', '#   #', '#   #'],
}

type Shape = (x: number, y: number) => boolean

/** The initial, centred, 52 units high on a 100×100 canvas; a dot for letters without a glyph. */
function initialShape(letter: string): Shape {
  const glyph = GLYPHS[letter]
  if (!glyph) return (x, y) => (x - 50) ** 2 + (y - 50) ** 2 <= 18 ** 2
  const cell = 52 / 7
  const left = 50 - (5 * cell) / 2
  const top = 50 - (7 * cell) / 2
  return (x, y) => {
    const row = glyph[Math.floor((y - top) / cell)]
    const col = Math.floor((x - left) / cell)
    return row !== undefined && col >= 0 && row.charAt(col) === '#'
  }
}

/** WeChat's default grey avatar: a head and shoulders. */
const silhouette: Shape = (x, y) =>
  (x - 50) ** 2 + (y - 38) ** 2 <= 17 ** 2 ||
  (y >= 62 && y <= 92 && ((x - 50) / 32) ** 2 + ((y - 92) / 30) ** 2 <= 1)

function hexColor(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace(/^#/, ''), 16)
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255]
}

/** Draw a persona's avatar at `px`×`px` and encode it as a baseline JFIF JPEG. */
function drawAvatar(persona: Persona, px: number): Buffer {
  const [r, g, b] = hexColor(persona.color)
  const ink = persona.snapshot ? silhouette : initialShape(persona.id.charAt(0).toUpperCase())
  const data = Buffer.alloc(px * px * 4)
  for (let j = 0; j < px; j += 1) {
    const y = ((j + 0.5) / px) * 100
    for (let i = 0; i < px; i += 1) {
      const at = (j * px + i) * 4
      const white = ink(((i + 0.5) / px) * 100, y)
      data[at] = white ? 255 : r
      data[at + 1] = white ? 255 : g
      data[at + 2] = white ? 255 : b
      data[at + 3] = 255
    }
  }
  return jpeg.encode({ data, width: px, height: px }, 85).data
}

const cache = new Map<string, Buffer>()

/** A persona's avatar as JPEG bytes for a size segment (drawn once, then cached). */
export function avatarJpeg(persona: Persona, size: number): Buffer {
  const key = `${persona.id}/${size}`
  let image = cache.get(key)
  if (!image) {
    image = drawAvatar(persona, avatarPixels(size))
    cache.set(key, image)
  }
  return image
}
