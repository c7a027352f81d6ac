/**
 * WeChat answers "10009 操作太频繁了，请稍后重试" when one client opens the authorize page too often
 * (redirect loops trigger it, https://blog.csdn.net/cl11992/article/details/86527897). The real
 * threshold is undocumented; the simulator counts authorize requests per client IP over a sliding
 * minute of its own clock, so tests can move past the window with `POST /__mock/clock`.
 */
const WINDOW_MS = 60 * 1000

export class AuthorizeRateLimiter {
  private hits = new Map<string, number[]>()

  constructor(private readonly perMinute: number) {}

  /** Count one request; false when it is over the limit. */
  hit(ip: string, now: number): boolean {
    const recent = (this.hits.get(ip) ?? []).filter((at) => at > now - WINDOW_MS)
    recent.push(now)
    this.hits.set(ip, recent)
    return recent.length <= this.perMinute
  }

  reset(): void {
    this.hits.clear()
  }
}
