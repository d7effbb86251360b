// What the shares folder needs of the peers folder, declared here so shares/ never imports peers/:
// the composition root passes the peer service and the config service, which fit structurally.

export interface SharedPeers {
  /** The peer's row; NotFoundError when there is none. */
  context(peerId: string): Promise<{ peer: { id: string; name: string; private_key_enc: string | null } }>;
}

export interface SharedConfigs {
  clientConfig(peerId: string): Promise<{ filename: string; text: string }>;
  qrSvg(peerId: string): Promise<string>;
}
