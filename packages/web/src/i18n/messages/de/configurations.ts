import type { Translation } from "../../catalog.js";
import type en from "../en/configurations.js";

export default {
  pageTitle: "Konfigurationen",
} satisfies Translation<typeof en>;
