// The wg-quick file a client downloads: its own key and addresses, and one [Peer], its node. Every
// input is validated under the caller's field names before a line is written; the client's name
// appears only as a "# Name = ..." comment, after validation.
import { ValidationError } from "../errors.js";
import { validateKey } from "../keys/index.js";
import {
  validateCidrEntry,
  validateDnsEntry,
  validateEndpointValue,
  validateMtu,
  validatePersistentKeepalive,
} from "./entries.js";
import { renderWgQuick } from "./render.js";
import { validatePeerName } from "./text-rules.js";
import { emptyInterface, type WgQuickFile } from "./types.js";
import { listOf } from "./validate-file.js";

export interface ClientConfigInput {
  name?: string;
  privateKey: string;
  addresses: string[];
  dns: string[];
  mtu?: number;
  serverPublicKey: string;
  presharedKey?: string;
  endpoint: string;
  allowedIps: string[];
  persistentKeepalive?: number;
}

export function renderClientConfig(input: ClientConfigInput): string {
  return renderWgQuick(clientConfigFile(input));
}

/** The client config as a WgQuickFile, validated under the input's own field names. */
export function clientConfigFile(input: ClientConfigInput): WgQuickFile {
  if (typeof input !== "object" || input === null) throw new ValidationError("config", "must be an object");
  const { name, mtu, presharedKey, persistentKeepalive } = input;
  if (input.endpoint === undefined) throw new ValidationError("endpoint", "is required");
  return {
    interface: {
      ...emptyInterface(),
      ...(name !== undefined && { name: validatePeerName(name, "name") }),
      privateKey: validateKey(input.privateKey, "privateKey"),
      addresses: nonEmpty(input.addresses, "addresses").map((a) => validateCidrEntry(a, "addresses")),
      dns: listOf(input.dns, "dns").map((d) => validateDnsEntry(d, "dns")),
      ...(mtu !== undefined && { mtu: validateMtu(mtu, "mtu") }),
    },
    peers: [
      {
        publicKey: validateKey(input.serverPublicKey, "serverPublicKey"),
        ...(presharedKey !== undefined && { presharedKey: validateKey(presharedKey, "presharedKey") }),
        allowedIps: nonEmpty(input.allowedIps, "allowedIps").map((c) => validateCidrEntry(c, "allowedIps")),
        endpoint: validateEndpointValue(input.endpoint, "endpoint"),
        ...(persistentKeepalive !== undefined && {
          persistentKeepalive: validatePersistentKeepalive(persistentKeepalive, "persistentKeepalive"),
        }),
        extra: [],
      },
    ],
  };
}

function nonEmpty(value: string[], field: string): readonly string[] {
  const list = listOf(value, field);
  if (list.length === 0) throw new ValidationError(field, "needs at least one entry");
  return list;
}
