// @wgfleet/wireguard: the WireGuard driver (the only code that runs wg, wg-quick and ip) and the
// controller that brings interfaces to a desired state by a diff.
export { AccessGate, type AccessGateOptions } from "./access/access-gate.js";
export { FileBudgetLedger } from "./access/budget-file.js";
export { type BudgetLedger, type BudgetUsage, MemoryBudgetLedger } from "./access/budget-ledger.js";
export { type Clock, systemClock } from "./access/clock.js";
export * from "./availability.js";
export * from "./capability.js";
export type { DesiredInterfaceView } from "./controller/desired-view.js";
export {
  type ApplyReport,
  type DriftRepairOptions,
  type DriftReport,
  InterfaceController,
  type InterfaceControllerOptions,
} from "./controller/interface-controller.js";
export * from "./driver.js";
export * from "./errors.js";
export * from "./logger.js";
export * from "./process-runs.js";
export * from "./run-command.js";
export {
  type ControlPath,
  PROBE_PREFIX,
  SystemWireGuardDriver,
  type SystemWireGuardDriverOptions,
} from "./system/system-driver.js";
export { findWireGuardGo } from "./system/wireguard-go.js";
export { DEFAULT_RUN_DIR } from "./uapi/uapi-client.js";
