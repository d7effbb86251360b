// The app's entry: Pinia, the router, the languages, the global styles, then mount.
import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { i18n } from "./i18n/index.js";
import { createAppRouter } from "./router.js";
import "./styles/base.css";

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(createAppRouter(pinia));
app.use(i18n);
app.mount("#app");
