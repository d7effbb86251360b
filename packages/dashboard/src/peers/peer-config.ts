// The peer's own client config: the one place a private or preshared key leaves the dashboard. It
// carries the peer's own node's public key and endpoint (never another node's), rendered by core.
import { ConflictError, renderClientConfig } from "@wgfleet/core";
import type { InterfaceService } from "../interfaces/index.js";
import { qrSvg } from "../qr-svg.js";
import type { SecretBox } from "../secrets/index.js";
import type { PeerService } from "./peer.service.js";

export interface ClientConfigDownload {
  /** A safe file name: NAME.conf with anything but letters, digits, "._-" replaced. */
  filename: string;
  text: string;
}

export class PeerConfigService {
  constructor(
    private readonly deps: {
      peers: PeerService;
      interfaceService: Pick<InterfaceService, "endpointFor">;
      secrets: SecretBox;
    },
  ) {}

  async clientConfig(peerId: string): Promise<ClientConfigDownload> {
    const { peer, iface, configuration } = await this.deps.peers.context(peerId);
    if (!peer.private_key_enc) {
      throw new ConflictError(
        `peer ${peer.name} was created with its own public key: the client holds the private key, so there is no config to download`,
        "publicKey",
      );
    }
    // Most specific first: the peer's own, its interface's (a node's own network), the configuration's.
    const mtu = peer.mtu ?? iface.mtu ?? configuration.mtu;
    const keepalive = peer.keepalive ?? configuration.keepalive;
    const text = renderClientConfig({
      name: peer.name,
      privateKey: this.deps.secrets.decrypt(peer.private_key_enc),
      addresses: JSON.parse(peer.addresses) as string[],
      dns: JSON.parse(peer.dns ?? iface.dns ?? configuration.dns) as string[],
      ...(mtu !== null ? { mtu } : {}),
      serverPublicKey: iface.public_key,
      ...(peer.preshared_key_enc ? { presharedKey: this.deps.secrets.decrypt(peer.preshared_key_enc) } : {}),
      endpoint: await this.deps.interfaceService.endpointFor(iface),
      allowedIps: JSON.parse(peer.client_allowed_ips) as string[],
      ...(keepalive !== null && keepalive > 0 ? { persistentKeepalive: keepalive } : {}),
    });
    return { filename: configFileName(peer.name), text };
  }

  async qrSvg(peerId: string): Promise<string> {
    const { text } = await this.clientConfig(peerId);
    return qrSvg(text);
  }
}

export function configFileName(peerName: string): string {
  const safe = peerName
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(0, 64);
  return `${safe || "peer"}.conf`;
}
