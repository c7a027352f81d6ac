import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import TheTabBar from './TheTabBar.vue'

async function setup(path: string) {
  const page = { render: () => null }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'activity', component: page, meta: { title: '活动详情' } },
      { path: '/me', name: 'profile', component: page, meta: { title: '我的' } },
    ],
  })
  await router.push(path)
  return mount(TheTabBar, { global: { plugins: [router] } })
}

describe('TheTabBar', () => {
  it('each tab has an inline SVG icon (hidden from screen readers) and its label', async () => {
    const wrapper = await setup('/')
    for (const [hook, label] of [
      ['tab-activity', '活动'],
      ['tab-profile', '我的'],
    ]) {
      const tab = wrapper.get(`[data-test=${hook}]`)
      expect(tab.text()).toBe(label) // the accessible name is the label alone
      const icon = tab.get('svg')
      expect(icon.attributes('aria-hidden')).toBe('true')
      expect(icon.find('path, circle, rect').exists()).toBe(true)
    }
    expect(wrapper.text()).not.toMatch(/[▣●]/)
  })

  it('marks the current tab (brand colour, aria-current)', async () => {
    const wrapper = await setup('/me')
    const profile = wrapper.get('[data-test=tab-profile]')
    expect(profile.classes()).toContain('weui-bar__item_on')
    expect(profile.attributes('aria-current')).toBe('page')
    expect(wrapper.get('[data-test=tab-activity]').attributes('aria-current')).toBeUndefined()
  })
})
