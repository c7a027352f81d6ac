// Wiring only: boot reads the landing URL, then pinia, the auth store, the router, mount.
import 'weui/dist/style/weui.min.css'
import './styles/main.css'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { isWechatBrowser } from '@wxauth/shared'
import App from './App.vue'
import { bootAuth } from './boot/boot-auth.js'
import { createAppRouter } from './router/index.js'
import { useAuthStore } from './stores/auth.js'

// Before the router exists: take code/state out of the address bar (DESIGN.md §3 step 3).
const landing = bootAuth()

const app = createApp(App)
app.use(createPinia())
const auth = useAuthStore()
auth.start({
  cancelled: landing.cancelled,
  outsideWechat: import.meta.env.PROD && !isWechatBrowser(navigator.userAgent),
})
app.use(createAppRouter())
app.mount('#app')

// Restored from the back/forward cache: recheck instead of bouncing to WeChat again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) void auth.revalidate()
})
