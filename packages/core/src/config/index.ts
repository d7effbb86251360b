// wg-quick configuration files: parse, validate, render. The validators here are the boundary that
// keeps any input from adding a line, a key or a section to a file.
export { type ClientConfigInput, clientConfigFile, renderClientConfig } from "./client-config.js";
export {
  validateCidrEntry,
  validateDnsEntry,
  validateEndpointValue,
  validateFwMark,
  validateListenPort,
  validateMtu,
  validatePersistentKeepalive,
  validateTable,
} from "./entries.js";
export { parseWgQuick } from "./parse.js";
export { renderWgQuick, renderWgSetconf } from "./render.js";
export {
  CONTROL_CHARACTER_CLASS,
  hasControlCharacters,
  LIMITS as CONFIG_LIMITS,
  validateConfigValue,
  validatePeerName,
} from "./text-rules.js";
export type { WgQuickFile, WgQuickInterface, WgQuickPeer } from "./types.js";
export { validateWgQuickFile } from "./validate-file.js";
