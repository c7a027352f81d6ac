import { describe, expect, it } from 'vitest'
import { activityPhase, formatDateTime, formatWindow } from './format-time.js'

const START = '2025-09-01T02:00:00.000Z' // 10:00 in Beijing
const END = '2025-09-30T10:00:00.000Z' // 18:00 in Beijing

describe('activityPhase', () => {
  it('is upcoming, ongoing, then ended', () => {
    expect(activityPhase(START, END, Date.parse('2025-08-01T00:00:00Z'))).toBe('upcoming')
    expect(activityPhase(START, END, Date.parse('2025-09-10T00:00:00Z'))).toBe('ongoing')
    expect(activityPhase(START, END, Date.parse('2025-10-01T00:00:00Z'))).toBe('ended')
  })
})

describe('formatWindow', () => {
  const tz = 'Asia/Shanghai'
  it('omits the year within the current year', () => {
    const now = Date.parse('2025-06-01T00:00:00Z')
    expect(formatWindow(START, END, { now, timeZone: tz })).toBe('9月1日 10:00 至 9月30日 18:00')
  })

  it('shows the start’s year when it is not the current one, and not twice', () => {
    const now = Date.parse('2024-06-01T00:00:00Z')
    expect(formatWindow(START, END, { now, timeZone: tz })).toBe(
      '2025年9月1日 10:00 至 9月30日 18:00',
    )
  })

  it('shows the end’s year when the window crosses a new year', () => {
    const now = Date.parse('2026-12-01T00:00:00Z')
    const start = '2026-11-30T15:00:00.000Z' // 23:00 in Beijing
    const end = '2027-01-29T15:00:00.000Z'
    expect(formatWindow(start, end, { now, timeZone: tz })).toBe(
      '11月30日 23:00 至 2027年1月29日 23:00',
    )
  })

  it('is empty for a malformed date', () => {
    expect(formatWindow('nope', END)).toBe('')
    expect(formatDateTime('nope')).toBe('')
  })

  it('formatDateTime reads as Chinese', () => {
    expect(formatDateTime(START, tz)).toBe('2025年9月1日 10:00')
  })
})
