/** Dates as a Chinese-speaking user reads them on the activity page. */

export type ActivityPhase = 'upcoming' | 'ongoing' | 'ended'

/** Where `now` falls in the activity's window. */
export function activityPhase(
  startsAt: string,
  endsAt: string,
  now: number = Date.now(),
): ActivityPhase {
  if (now < Date.parse(startsAt)) return 'upcoming'
  if (now > Date.parse(endsAt)) return 'ended'
  return 'ongoing'
}

/**
 * `9月1日 10:00 至 9月30日 18:00`. A year only where it is news: on the start when it is not the
 * current year, on the end when it is not the start's. So the line fits a 390 px phone on one line
 * (the seeded 60 days cross a new year half the time).
 */
export function formatWindow(
  startsAt: string,
  endsAt: string,
  options: { now?: number; timeZone?: string } = {},
): string {
  const now = new Date(options.now ?? Date.now())
  const start = new Date(startsAt)
  const end = new Date(endsAt)
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return ''
  const year = (d: Date): string =>
    new Intl.DateTimeFormat('zh-CN', { year: 'numeric', timeZone: options.timeZone }).format(d)
  const format = (d: Date, withYear: boolean): string =>
    new Intl.DateTimeFormat('zh-CN', {
      ...(withYear ? { year: 'numeric' } : {}),
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone: options.timeZone,
    }).format(d)
  return `${format(start, year(start) !== year(now))} 至 ${format(end, year(end) !== year(start))}`
}

/** `2025年9月1日 10:00`, for the session expiry on the profile page. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat('zh-CN', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(date)
}
