import type { Translation } from "../../catalog.js";
import type en from "../en/overview.js";

export default {
  pageTitle: "Übersicht",
} satisfies Translation<typeof en>;
