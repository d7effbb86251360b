// The app's entry: Pinia, the router, the global styles, then mount.
import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { createAppRouter } from "./router.js";
import "./styles/base.css";

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(createAppRouter(pinia));
app.mount("#app");
