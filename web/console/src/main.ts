import 'element-plus/dist/index.css'
import './styles.css'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'

document.documentElement.lang = i18n.global.locale.value

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app')
