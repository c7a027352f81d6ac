/** Small pure helpers about WeChat profiles. */

/**
 * Avatar sizes WeChat serves: the last path segment of `headimgurl` (0 means 640×640).
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
export const AVATAR_SIZES = [0, 46, 64, 96, 132] as const
export type AvatarSize = (typeof AVATAR_SIZES)[number]

/**
 * The same avatar at another size. `""` (a user without an avatar) stays `""`. An http URL on
 * WeChat's avatar CDN (`*.qlogo.cn`) is upgraded to https, which the CDN serves and an https page
 * needs; other hosts (the local simulator) are left alone.
 */
export function avatarUrl(headimgurl: string, size: AvatarSize): string {
  if (!headimgurl) return ''
  const match = /^(.*\/)(\d+)$/.exec(headimgurl)
  const resized = match ? `${match[1]}${size}` : headimgurl
  return resized.replace(/^http:\/\/([^/]*\.qlogo\.cn)\//i, 'https://$1/')
}
