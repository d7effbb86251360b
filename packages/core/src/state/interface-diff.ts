// Whether an interface itself (not its peers) must be reconfigured. Compares meaning: addresses as a
// canonical set, an empty hook list as none, the hooks' order as given.
import { canonicalJson, interfaceForm } from "../protocol/canonical.js";
import type { InterfaceSpec } from "../protocol/v1.js";

export function interfaceSpecChanged(previous: InterfaceSpec, next: InterfaceSpec): boolean {
  return canonicalJson(interfaceForm(previous)) !== canonicalJson(interfaceForm(next));
}
