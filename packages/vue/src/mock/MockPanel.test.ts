import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import MockPanel from './MockPanel.vue'

function setup() {
  return mount(MockPanel, {
    props: { scenario: 'returning', persona: 'alice' },
    attachTo: document.body,
  })
}

describe('MockPanel', () => {
  it('is a button until opened; then lists every scenario, the current one checked', async () => {
    const wrapper = setup()
    const toggle = wrapper.get('[data-test=mock-panel-toggle]')
    expect(toggle.text()).toBe('模拟 · returning')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    expect(wrapper.get('#wxauth-mock-body').isVisible()).toBe(false)

    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    expect(wrapper.findAll('input[type=radio]')).toHaveLength(7)
    expect(
      (wrapper.get('[data-test=mock-scenario-returning]').element as HTMLInputElement).checked,
    ).toBe(true)
    wrapper.unmount()
  })

  it('emits the scenario, the persona, reset and end-session', async () => {
    const wrapper = setup()
    await wrapper.get('[data-test=mock-panel-toggle]').trigger('click')
    await wrapper.get('[data-test=mock-scenario-loop]').setValue(true)
    await wrapper.get('[data-test=mock-persona]').setValue('follower')
    await wrapper.get('[data-test=mock-reset]').trigger('click')
    await wrapper.get('[data-test=mock-end-session]').trigger('click')
    expect(wrapper.emitted('scenario')).toEqual([['loop']])
    expect(wrapper.emitted('persona')).toEqual([['follower']])
    expect(wrapper.emitted('reset')).toHaveLength(1)
    expect(wrapper.emitted('endSession')).toHaveLength(1)
    expect(wrapper.get('[data-test=mock-end-session]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('Escape closes it and gives the focus back to its button', async () => {
    const wrapper = setup()
    await wrapper.get('[data-test=mock-panel-toggle]').trigger('click')
    await wrapper.get('[data-test=mock-persona]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.get('#wxauth-mock-body').isVisible()).toBe(false)
    expect(document.activeElement).toBe(wrapper.get('[data-test=mock-panel-toggle]').element)
    wrapper.unmount()
  })
})
