/**
 * What the demo activity says: its title, description and cover. Pure data with no imports, so the
 * seed (migrations.ts) and the SPA's mock BFF (apps/web/mock) share one copy.
 */
/** How long the seeded activity runs: its title says so, so it is true whenever the demo boots. */
export const DEMO_DAYS = 60

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The seeded window: from the day before `now` (on the hour) for {@link DEMO_DAYS} days. */
export function demoWindow(now: number): { startsAt: number; endsAt: number } {
  const startsAt = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS
  return { startsAt, endsAt: startsAt + DEMO_DAYS * DAY_MS }
}

const COVER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="400" viewBox="0 0 750 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#07c160"/><stop offset="1" stop-color="#05773b"/></linearGradient></defs>
<rect width="750" height="400" fill="url(#g)"/>
<circle cx="640" cy="90" r="120" fill="#fff" opacity=".12"/><circle cx="90" cy="360" r="150" fill="#fff" opacity=".08"/>
<circle cx="375" cy="140" r="78" fill="#fff"/>
<path d="M337 142l26 26 52-56" fill="none" stroke="#07c160" stroke-width="16" stroke-linecap="round" stroke-linejoin="round"/>
<text x="375" y="300" font-size="44" text-anchor="middle" fill="#fff" font-family="sans-serif" font-weight="bold">${DEMO_DAYS} 天线上打卡挑战</text>
<text x="375" y="350" font-size="24" text-anchor="middle" fill="#fff" opacity=".85" font-family="sans-serif">每日打卡 · 坚持到底 · 赢好礼</text>
</svg>`

/** `data:` URL of the demo cover. */
export const DEMO_COVER_URL = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(COVER_SVG.replace(/\n/g, ''))}`

/**
 * The seeded activity. Its window starts the day before the first boot and lasts {@link DEMO_DAYS}
 * days, so the title names no season or year: a fixed festival date would be over for anyone who
 * clones the demo later, and its 报名 button would say 活动已结束.
 */
export const DEMO_ACTIVITY = {
  title: `${DEMO_DAYS} 天线上打卡挑战`,
  description:
    `连续 ${DEMO_DAYS} 天，每天来打个卡：坚持打卡满 21 天即可参与抽奖，满 ${DEMO_DAYS} 天再得一份纪念好礼。` +
    '报名只需一次微信授权，我们只使用你的昵称和头像展示在参与者列表中。',
}
