import type { Translation } from "../../catalog.js";
import type en from "../en/configurations.js";

export default {
  pageTitle: "配置",
} satisfies Translation<typeof en>;
