/**
 * The avatar shown when WeChat has none (`headimgurl: ""`, documented) or the URL died (it does when
 * the user changes avatar). Inline, so it needs no request and never breaks.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
export const FALLBACK_AVATAR =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
      '<rect width="64" height="64" fill="#e5e5e5"/>' +
      '<circle cx="32" cy="25" r="11" fill="#bfbfbf"/>' +
      '<path d="M12 58c2-11 10-17 20-17s18 6 20 17z" fill="#bfbfbf"/>' +
      '</svg>',
  )
