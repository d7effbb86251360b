// Validation of agent protocol v1 input: first the shape (TypeBox; unknown properties are refused),
// then the meaning (keys decode to 32 bytes, CIDRs and endpoints parse). The first problem becomes a
// ValidationError naming its field ("peers[3].allowedIps[0]"). Returns normalised copies; never
// decides policy (whether hooks may run is the agent's call).

import type { Static, TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { ValueErrorType } from "@sinclair/typebox/errors";
import { ValidationError } from "../errors.js";
import { isNetworkAddress, lastAddressOf, parseCidr, sameAddress } from "../ip/index.js";
import { validateKey } from "../keys/index.js";
import { canonicalAllowedIp, canonicalEndpoint, canonicalInterfaceAddress } from "./canonical.js";
import { fieldPathFromPointer, fieldStep } from "./field-path.js";
import { checkAccessSchedule } from "./schedule-checks.js";
import {
  type InterfaceHooks,
  type InterfaceSpec,
  InterfaceSpecSchema,
  type InterfaceState,
  InterfaceStateSchema,
  type PeerAccess,
  type PeerBatch,
  PeerBatchSchema,
  type PeerSpec,
  PeerSpecSchema,
  WireGuardKeySchema,
} from "./v1.js";

/** A single peer: keys canonical, allowed IPs canonical CIDR text (host bits cleared, as WireGuard routes them). */
export function validatePeerSpec(value: unknown, field = "peer"): PeerSpec {
  return normalisePeer(checkShape(PeerSpecSchema, value, field), field);
}

/** An interface: key canonical, addresses canonical with their host bits (the gateway, "198.51.100.1/24"). */
export function validateInterfaceSpec(value: unknown, field = "interface"): InterfaceSpec {
  return normaliseInterface(checkShape(InterfaceSpecSchema, value, field), field);
}

/** A full desired state; public keys unique, no allowed IP routed to two peers. */
export function validateInterfaceState(value: unknown): InterfaceState {
  const state = checkShape(InterfaceStateSchema, value, "", "state");
  const peers = state.peers.map((peer, index) => normalisePeer(peer, fieldStep("peers", index)));
  checkPeersDistinct(peers, "peers");
  return { revision: state.revision, interface: normaliseInterface(state.interface, "interface"), peers };
}

/** Upserts and removals; no key twice among the upserts or in both lists. Removals are de-duplicated. */
export function validatePeerBatch(value: unknown): PeerBatch {
  const batch = checkShape(PeerBatchSchema, value, "", "batch");
  const upsert = batch.upsert.map((peer, index) => normalisePeer(peer, fieldStep("upsert", index)));
  const upserted = checkPeersDistinct(upsert, "upsert");
  const remove = new Set<string>();
  batch.remove.forEach((key, index) => {
    const field = fieldStep("remove", index);
    const publicKey = validateKey(key, field);
    const alsoUpserted = upserted.get(publicKey);
    if (alsoUpserted !== undefined) {
      throw new ValidationError(field, `peer is both removed and upserted (upsert[${alsoUpserted}])`);
    }
    remove.add(publicKey);
  });
  return { upsert, remove: [...remove] };
}

// --- shape ---------------------------------------------------------------------------------------

const compiled = new Map<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = compiled.get(schema);
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker as TypeCheck<T>;
}

function checkShape<T extends TSchema>(schema: T, value: unknown, root: string, rootName = root): Static<T> {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return value;
  const first = checker.Errors(value).First();
  if (first === undefined) throw new ValidationError(rootName, "is malformed");
  throw new ValidationError(fieldPathFromPointer(first.path, root, rootName), shapeMessage(first));
}

function shapeMessage(error: { type: ValueErrorType; schema: TSchema; message: string }): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return "unknown property";
  if (error.type === ValueErrorType.ObjectRequiredProperty) return "is required";
  if (error.schema === WireGuardKeySchema && error.type !== ValueErrorType.String) {
    return "must be a WireGuard key: base64 of 32 bytes (44 characters ending in =)";
  }
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

// --- meaning -------------------------------------------------------------------------------------

function normalisePeer(peer: PeerSpec, field: string): PeerSpec {
  const allowedIpsField = fieldStep(field, "allowedIps");
  const allowedIps = peer.allowedIps.map((text, index) =>
    canonicalAllowedIp(text, fieldStep(allowedIpsField, index)),
  );
  rejectDuplicates(allowedIps, allowedIpsField, "allowed IP");
  const normalised: PeerSpec = {
    publicKey: validateKey(peer.publicKey, fieldStep(field, "publicKey")),
    allowedIps,
  };
  if (peer.presharedKey !== undefined) {
    normalised.presharedKey = validateKey(peer.presharedKey, fieldStep(field, "presharedKey"));
  }
  if (peer.persistentKeepalive !== undefined) normalised.persistentKeepalive = peer.persistentKeepalive;
  if (peer.endpoint !== undefined) {
    normalised.endpoint = canonicalEndpoint(peer.endpoint, fieldStep(field, "endpoint"));
  }
  if (peer.access !== undefined) normalised.access = checkAccess(peer.access, fieldStep(field, "access"));
  return normalised;
}

/** Access rules that mean something (schedule-checks.ts); equal rules come back spelled equally. */
function checkAccess(access: PeerAccess, field: string): PeerAccess {
  const checked: PeerAccess = {};
  if (access.notAfter !== undefined) {
    if (!Number.isSafeInteger(access.notAfter))
      throw new ValidationError(fieldStep(field, "notAfter"), "must be ms since the epoch");
    checked.notAfter = access.notAfter;
  }
  if (access.schedule !== undefined) {
    checked.schedule = checkAccessSchedule(access.schedule, fieldStep(field, "schedule"));
  }
  if (access.budget !== undefined) checked.budget = { ...access.budget };
  return checked;
}

function normaliseInterface(spec: InterfaceSpec, field: string): InterfaceSpec {
  const addressesField = fieldStep(field, "addresses");
  const addresses = spec.addresses.map((text, index) =>
    interfaceAddress(text, fieldStep(addressesField, index)),
  );
  rejectDuplicates(
    addresses.map((text) => text.slice(0, text.indexOf("/"))),
    addressesField,
    "address",
  );
  const normalised: InterfaceSpec = {
    name: spec.name,
    privateKey: validateKey(spec.privateKey, fieldStep(field, "privateKey")),
    listenPort: spec.listenPort,
    addresses,
  };
  if (spec.mtu !== undefined) normalised.mtu = spec.mtu;
  if (spec.hooks !== undefined) normalised.hooks = checkHooks(spec.hooks, fieldStep(field, "hooks"));
  if (spec.driftPolicy !== undefined) normalised.driftPolicy = spec.driftPolicy;
  return normalised;
}

/**
 * An interface's own address with its block's prefix. Host bits are expected; the block's network
 * address (and the IPv4 broadcast) cannot be an interface's address, except in /31, /32, /127, /128.
 */
function interfaceAddress(text: string, field: string): string {
  const cidr = parseCidr(text, field);
  const hostBits = (cidr.address.version === 4 ? 32 : 128) - cidr.prefix;
  if (hostBits >= 2 && isNetworkAddress(cidr)) {
    throw new ValidationError(
      field,
      `${text} is a network address; use the interface's own address, e.g. the first host`,
    );
  }
  if (hostBits >= 2 && cidr.address.version === 4 && sameAddress(cidr.address, lastAddressOf(cidr))) {
    throw new ValidationError(field, `${text} is the broadcast address of its block`);
  }
  return canonicalInterfaceAddress(text, field);
}

const HOOK_NAMES = ["preUp", "postUp", "preDown", "postDown"] as const;

/** Shape only: each hook is one line. Whether hooks may run at all is for the agent to decide. */
function checkHooks(hooks: InterfaceHooks, field: string): InterfaceHooks {
  const checked: InterfaceHooks = {};
  for (const name of HOOK_NAMES) {
    const lines = hooks[name];
    if (lines === undefined) continue;
    lines.forEach((line, index) => {
      if (/[\r\n\0]/.test(line)) {
        throw new ValidationError(
          fieldStep(fieldStep(field, name), index),
          "must be one line: no newline, carriage return or NUL",
        );
      }
    });
    checked[name] = [...lines];
  }
  return checked;
}

function rejectDuplicates(values: readonly string[], field: string, what: string): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const earlier = seen.get(value);
    if (earlier !== undefined) {
      throw new ValidationError(
        fieldStep(field, index),
        `duplicate ${what} ${value} (also at index ${earlier})`,
      );
    }
    seen.set(value, index);
  });
}

/**
 * Public keys are unique and no allowed IP is routed to two peers (WireGuard would silently move it to
 * the last one). Returns public key -> index.
 */
function checkPeersDistinct(peers: readonly PeerSpec[], field: string): Map<string, number> {
  const byKey = new Map<string, number>();
  const byRoute = new Map<string, number>();
  peers.forEach((peer, index) => {
    const earlier = byKey.get(peer.publicKey);
    if (earlier !== undefined) {
      throw new ValidationError(
        fieldStep(fieldStep(field, index), "publicKey"),
        `duplicate public key (also ${field}[${earlier}])`,
      );
    }
    byKey.set(peer.publicKey, index);
    peer.allowedIps.forEach((route, routeIndex) => {
      const owner = byRoute.get(route);
      if (owner !== undefined) {
        const routeField = fieldStep(fieldStep(fieldStep(field, index), "allowedIps"), routeIndex);
        throw new ValidationError(routeField, `${route} is already an allowed IP of ${field}[${owner}]`);
      }
      byRoute.set(route, index);
    });
  });
  return byKey;
}
