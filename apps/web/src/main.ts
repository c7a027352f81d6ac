// Wiring only: the WeChat login (it reads the landing URL), then pinia, the login, the router, mount.
import './styles/weui.css' // the WeUI parts the pages use (not all 24 kB of it)
import '@wxauth/vue/style.css'
import './styles/main.css'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { createWechatAuth } from '@wxauth/vue'
import App from './App.vue'
import { BASE_URL, LOGIN_SCOPE, ROUTER_MODE } from './config.js'
import { createAppRouter } from './router/index.js'

// Before the router exists: take code/state out of the address bar
// (docs/architecture.md#the-login-flow). Production builds outside WeChat show the QR-code screen.
const auth = createWechatAuth({
  baseURL: '/api',
  scope: LOGIN_SCOPE,
  routerMode: ROUTER_MODE,
  routerBase: BASE_URL,
  wechatOnly: import.meta.env.PROD,
})

createApp(App).use(createPinia()).use(auth).use(createAppRouter()).mount('#app')
