import type { Translation } from "../../catalog.js";
import type en from "../en/api-docs.js";

export default {
  pageTitle: "API 参考",
  intro: "本控制台 HTTP API 的全部路由，来自它提供的 OpenAPI 文档。脚本使用 API 密钥登录。",
  download: "下载 openapi.json",
  loading: "正在加载 API 参考…",
  failed: "无法加载 API 参考：{message}",
  settingsTitle: "API 参考",
  settingsText: "本控制台提供的 HTTP API，包含每个路由、参数和响应。",
  settingsLink: "打开 API 参考",
} satisfies Translation<typeof en>;
