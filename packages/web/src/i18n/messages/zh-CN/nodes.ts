import type { Translation } from "../../catalog.js";
import type en from "../en/nodes.js";

export default {
  pageTitle: "节点",
  hostedOn: "托管于节点 {name}",
} satisfies Translation<typeof en>;
