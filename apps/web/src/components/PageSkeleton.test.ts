import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import PageSkeleton from './PageSkeleton.vue'
import { SLOW_MS } from '../composables/use-slow-hint.js'
import indexHtml from '../../index.html?raw'

/** The element tree as tag.class lines: what the geometry depends on. */
function shape(el: Element, depth = 0): string[] {
  const line = `${'  '.repeat(depth)}${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
  return [line, ...[...el.children].flatMap((child) => shape(child, depth + 1))]
}

describe('PageSkeleton', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it(`says WeChat is slow after ${SLOW_MS / 1000} s, in the row it already had`, async () => {
    const wrapper = mount(PageSkeleton)
    const hint = wrapper.get('[data-test=slow-hint]')
    expect(hint.attributes('role')).toBe('status')
    expect(hint.text()).toBe('加载中…') // for screen readers only
    vi.advanceTimersByTime(SLOW_MS - 100)
    await wrapper.vm.$nextTick()
    expect(hint.text()).not.toContain('微信响应较慢')
    vi.advanceTimersByTime(100)
    await wrapper.vm.$nextTick()
    expect(hint.text()).toBe('微信响应较慢，请稍候…')
    expect(hint.classes()).toContain('greeting') // the greeting's fixed-height row: nothing moves
  })

  it('has the shape of the skeleton index.html paints before the app starts', () => {
    const page = new DOMParser().parseFromString(indexHtml, 'text/html')
    const boot = page.querySelector('[data-test=boot-skeleton]')
    expect(boot).not.toBeNull()
    const app = mount(PageSkeleton).element
    expect(shape(app)).toEqual(shape(boot!))
  })
})
