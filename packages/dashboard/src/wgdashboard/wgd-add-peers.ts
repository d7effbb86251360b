// WGDashboard's addPeers body → wgfleet's peer creation bodies. Single: its own public key or none
// (wgfleet generates the keys), allowed_ips optional (none: the next free address of the node `auto`
// placement picks). Bulk: bulkAddAmount generated peers. Every field checked before anything is created.
import { randomBytes } from "node:crypto";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type ConfigurationDto, type CreatePeerBody, CreatePeerBodySchema } from "@wgfleet/core";
import { WgdRefusal } from "./envelope.js";
import { nodeOfAddress } from "./wgd-addresses.js";
import {
  addressList,
  dnsList,
  optionalBoolean,
  optionalCount,
  optionalString,
  peerName,
} from "./wgd-text.js";

/** At most this many peers in one bulk add (wgfleet's import limit is far higher; bots add few). */
export const BULK_ADD_MAX = 1000;

export interface AddPeersPlan {
  bodies: CreatePeerBody[];
  bulk: boolean;
}

/** The client settings every added peer gets (DNS, endpoint_allowed_ip, mtu, keepalive). */
function clientSettings(body: Record<string, unknown>): Partial<CreatePeerBody> {
  const settings: Partial<CreatePeerBody> = {};
  const dns = optionalString(body, "DNS");
  if (dns !== undefined && dns.trim() !== "") settings.dns = dnsList(dns);
  const endpointAllowed = optionalString(body, "endpoint_allowed_ip");
  if (endpointAllowed !== undefined && endpointAllowed.trim() !== "") {
    settings.clientAllowedIps = addressList([endpointAllowed], "endpoint_allowed_ip");
  }
  const mtu = optionalCount(body, "mtu");
  if (mtu !== undefined) settings.mtu = mtu;
  const keepalive = optionalCount(body, "keepalive");
  if (keepalive !== undefined) settings.keepalive = keepalive;
  return settings;
}

/** `needsConfiguration`: only explicit addresses need the configuration's pools (to pick the node). */
export function planAddPeers(
  body: Record<string, unknown>,
  configuration: () => Promise<ConfigurationDto>,
): Promise<AddPeersPlan> | AddPeersPlan {
  const settings = clientSettings(body);
  if (optionalBoolean(body, "bulkAdd") === true) return { bodies: bulkBodies(body, settings), bulk: true };
  const single = singleBody(body, settings);
  const addresses = single.addresses;
  if (!addresses) return { bodies: [checked(single)], bulk: false };
  return configuration().then((found) => {
    const nodes = new Set(addresses.map((address) => nodeOfAddress(found, address)));
    const [node] = [...nodes];
    if (nodes.size !== 1 || !node) {
      throw new WgdRefusal(`This IP is not available: ${addresses.join(", ")}`);
    }
    return { bodies: [checked({ ...single, node })], bulk: false };
  });
}

function singleBody(body: Record<string, unknown>, settings: Partial<CreatePeerBody>): CreatePeerBody {
  const publicKey = optionalString(body, "public_key") ?? "";
  const privateKey = optionalString(body, "private_key") ?? "";
  if (privateKey !== "") {
    throw new WgdRefusal(
      "private_key: wgfleet makes private keys itself; send public_key (the client keeps its private key) or neither",
    );
  }
  const rawIps = body.allowed_ips;
  if (rawIps !== undefined && rawIps !== null && !Array.isArray(rawIps)) {
    throw new WgdRefusal("allowed_ips: expected a list of addresses");
  }
  const addresses = addressList((rawIps as unknown[] | undefined) ?? [], "allowed_ips");
  const presharedKey = optionalString(body, "preshared_key") ?? "";
  const name = peerName(optionalString(body, "name") ?? "");
  return {
    ...settings,
    name: name === "" ? `Peer_${randomBytes(4).toString("hex")}` : name,
    node: "auto",
    ...(publicKey !== "" ? { publicKey } : {}),
    presharedKey: presharedKey === "" ? false : presharedKey,
    ...(addresses.length > 0 ? { addresses } : {}),
  };
}

function bulkBodies(body: Record<string, unknown>, settings: Partial<CreatePeerBody>): CreatePeerBody[] {
  const amount = body.bulkAddAmount;
  if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 1) {
    throw new WgdRefusal("Please specify amount of peers you want to add");
  }
  if (amount > BULK_ADD_MAX) throw new WgdRefusal(`bulkAddAmount: at most ${BULK_ADD_MAX} peers at once`);
  const presharedKey = optionalBoolean(body, "preshared_key_bulkAdd") ?? false;
  // WGDashboard's names (BulkPeer_N_date) with a random part: two bulk adds in one second never clash.
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "_");
  const batch = randomBytes(3).toString("hex");
  return Array.from({ length: amount }, (_, i) =>
    checked({ ...settings, name: `BulkPeer_${i + 1}_${stamp}_${batch}`, node: "auto", presharedKey }),
  );
}

/** The native API's shape rules (lengths, ranges) on the mapped body: refused as WGDashboard refuses. */
const createPeerShape = TypeCompiler.Compile(CreatePeerBodySchema);

function checked(body: CreatePeerBody): CreatePeerBody {
  if (createPeerShape.Check(body)) return body;
  const first = createPeerShape.Errors(body).First();
  throw new WgdRefusal(`${first?.path.replace(/^\//, "") || "body"}: ${first?.message ?? "invalid"}`);
}
