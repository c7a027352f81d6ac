/** Leave the SPA for another page (WeChat's authorize URL). A module of its own so tests can mock it. */
export function leavePage(url: string): void {
  window.location.assign(url)
}
