// A WGDashboard API client written from WGDashboard 4.3's documented API (its dashboard.py routes and
// the API-key docs), the way a reseller bot calls it: `wg-dashboard-apikey` header, JSON bodies, the
// `{status, message, data}` envelope, peers named by public key. It knows nothing of wgfleet.

export interface WgdResponse<T = any> {
  httpStatus: number;
  status: boolean;
  message: string | null;
  data: T;
}

export interface WgdPeer {
  id: string;
  name: string;
  allowed_ip: string;
  DNS: string;
  endpoint_allowed_ip: string;
  status: string;
  jobs: WgdJob[];
  [field: string]: unknown;
}

export interface WgdJob {
  JobID: string;
  Configuration: string;
  Peer: string;
  Field: string;
  Operator: string;
  Value: string;
  CreationDate: string;
  ExpireDate: string | null;
  Action: string;
}

/** How the client sends a request: absolute URL in, status and body text out. */
export type WgdTransport = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
) => Promise<{ status: number; text: string }>;

/** `fetch`, as a bot would call it. */
export const fetchTransport: WgdTransport = async (method, url, headers, body) => {
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, text: await response.text() };
};

export class WgdClient {
  /**
   * `baseUrl`: the dashboard's address with its APP_PREFIX, e.g. "http://127.0.0.1:10086/wgd".
   * `transport`: fetch unless given (the bench passes a lighter keep-alive one, to measure the server).
   */
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | null,
    private readonly transport: WgdTransport = fetchTransport,
  ) {}

  async call<T = any>(method: "GET" | "POST", path: string, body?: unknown): Promise<WgdResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.apiKey !== null) headers["wg-dashboard-apikey"] = this.apiKey;
    if (body !== undefined) headers["content-type"] = "application/json";
    const url = `${this.baseUrl}/api/${path}`;
    const response = await this.transport(
      method,
      url,
      headers,
      body !== undefined ? JSON.stringify(body) : undefined,
    );
    const json = JSON.parse(response.text) as { status: boolean; message: string | null; data: T };
    return { httpStatus: response.status, ...json };
  }

  handshake() {
    return this.call("GET", "handshake");
  }
  getWireguardConfigurations() {
    return this.call<Array<Record<string, any>>>("GET", "getWireguardConfigurations");
  }
  getWireguardConfigurationInfo(name: string) {
    return this.call<{
      configurationInfo: Record<string, any>;
      configurationPeers: WgdPeer[];
      configurationRestrictedPeers: WgdPeer[];
    }>("GET", `getWireguardConfigurationInfo?configurationName=${encodeURIComponent(name)}`);
  }
  getAvailableIPs(name: string) {
    return this.call<Record<string, string[]>>("GET", `getAvailableIPs/${name}`);
  }
  getNumberOfAvailableIPs(name: string) {
    return this.call<Record<string, number>>("GET", `getNumberOfAvailableIPs/${name}`);
  }
  addPeers(name: string, body: Record<string, unknown>) {
    return this.call<WgdPeer[]>("POST", `addPeers/${name}`, body);
  }
  downloadPeer(name: string, publicKey: string) {
    return this.call<{ fileName: string; file: string }>(
      "GET",
      `downloadPeer/${name}?id=${encodeURIComponent(publicKey)}`,
    );
  }
  downloadAllPeers(name: string) {
    return this.call<Array<{ fileName: string; file: string }>>("GET", `downloadAllPeers/${name}`);
  }
  updatePeerSettings(name: string, body: Record<string, unknown>) {
    return this.call("POST", `updatePeerSettings/${name}`, body);
  }
  restrictPeers(name: string, peers: string[]) {
    return this.call("POST", `restrictPeers/${name}`, { peers });
  }
  allowAccessPeers(name: string, peers: string[]) {
    return this.call("POST", `allowAccessPeers/${name}`, { peers });
  }
  deletePeers(name: string, peers: string[]) {
    return this.call("POST", `deletePeers/${name}`, { peers });
  }
  resetPeerData(name: string, id: string, type: "total" | "receive" | "sent" = "total") {
    return this.call("POST", `resetPeerData/${name}`, { id, type });
  }
  savePeerScheduleJob(job: WgdJob) {
    return this.call<WgdJob[]>("POST", "savePeerScheduleJob", { Job: job });
  }
  deletePeerScheduleJob(job: WgdJob) {
    return this.call("POST", "deletePeerScheduleJob", { Job: job });
  }
  sharePeerCreate(configuration: string, peer: string, expireDate: string) {
    return this.call<Array<{ ShareID: string; ExpireDate: string }>>("POST", "sharePeer/create", {
      Configuration: configuration,
      Peer: peer,
      ExpireDate: expireDate,
    });
  }
  sharePeerGet(shareId: string) {
    return this.call<{ fileName: string; file: string }>(
      "GET",
      `sharePeer/get?ShareID=${encodeURIComponent(shareId)}`,
    );
  }
  systemStatus() {
    return this.call("GET", "systemStatus");
  }
}

/** A new job as WGDashboard's web app builds one. */
export function newJob(configuration: string, peer: string, fields: Partial<WgdJob>): WgdJob {
  return {
    JobID: crypto.randomUUID(),
    Configuration: configuration,
    Peer: peer,
    Field: "total_data",
    Operator: "lgt",
    Value: "",
    CreationDate: "",
    ExpireDate: "",
    Action: "restrict",
    ...fields,
  };
}
