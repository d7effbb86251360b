// WGDashboard's answer: `{status, message, data}`. Its callers read `status`, not the HTTP status: a
// refused request is mostly a 200 with `status: false` and a message; 401 for a missing or unknown key,
// 404 for an unknown configuration on the routes where WGDashboard answers so (see routes).
export interface WgdAnswer {
  status: boolean;
  message: string | null;
  data: unknown;
}

export function ok(data: unknown = null, message: string | null = null): WgdAnswer {
  return { status: true, message, data };
}

export function refused(message: string): WgdAnswer {
  return { status: false, message, data: null };
}

/** A refusal in WGDashboard's words, with the HTTP status WGDashboard uses for it (200 mostly). */
export class WgdRefusal extends Error {
  constructor(
    message: string,
    readonly httpStatus = 200,
  ) {
    super(message);
    this.name = "WgdRefusal";
  }
}

export const CONFIGURATION_MISSING = "Configuration does not exist";
export const PEER_MISSING = "Peer does not exist";
