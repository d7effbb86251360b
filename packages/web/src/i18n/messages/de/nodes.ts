import type { Translation } from "../../catalog.js";
import type en from "../en/nodes.js";

export default {
  pageTitle: "Knoten",
  hostedOn: "Gehostet auf Knoten {name}",
} satisfies Translation<typeof en>;
