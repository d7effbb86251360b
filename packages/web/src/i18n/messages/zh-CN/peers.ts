import type { Translation } from "../../catalog.js";
import type en from "../en/peers.js";

export default {} satisfies Translation<typeof en>;
