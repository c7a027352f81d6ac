/**
 * The demo activity as apps/bff seeds it (`apps/bff/src/activity/migrations.ts`), copied rather
 * than imported (that module is server code: Kysely, migrations); the contract test checks the two
 * answer the same title, description and cover. The cover is an inline SVG, so the page works
 * offline.
 */
const COVER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="400" viewBox="0 0 750 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c81d25"/><stop offset="1" stop-color="#7a0c12"/></linearGradient></defs>
<rect width="750" height="400" fill="url(#g)"/>
<circle cx="640" cy="90" r="120" fill="#f6c945" opacity=".18"/><circle cx="90" cy="360" r="150" fill="#f6c945" opacity=".12"/>
<rect x="300" y="70" width="150" height="150" rx="12" transform="rotate(45 375 145)" fill="#f6c945"/>
<text x="375" y="172" font-size="84" text-anchor="middle" fill="#c81d25" font-family="serif" font-weight="bold">福</text>
<text x="375" y="300" font-size="44" text-anchor="middle" fill="#fff4d6" font-family="sans-serif" font-weight="bold">2026 新春线上打卡</text>
<text x="375" y="350" font-size="24" text-anchor="middle" fill="#fff4d6" opacity=".85" font-family="sans-serif">连续打卡 · 集福卡 · 赢好礼</text>
</svg>`

/** `data:` URL of the demo cover. */
export const DEMO_COVER_URL = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(COVER_SVG.replace(/\n/g, ''))}`

export const DEMO_ACTIVITY = {
  title: '2026 新春线上打卡活动',
  description:
    '新春佳节，线上打卡迎好运：活动期间每天来打个卡，集齐五张福卡即可参与抽奖。' +
    '报名只需一次微信授权，我们只使用你的昵称和头像展示在参与者列表中。',
}
