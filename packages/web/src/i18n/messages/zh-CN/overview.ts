import type { Translation } from "../../catalog.js";
import type en from "../en/overview.js";

export default {
  pageTitle: "概览",
} satisfies Translation<typeof en>;
