// Login, and the session as the API shows it: declared once in @wgfleet/core (shared with the web app).
export {
  CurrentSessionDtoSchema as CurrentSessionSchema,
  LoginBodySchema as LoginBody,
  SessionDtoSchema as SessionSchema,
} from "@wgfleet/core";
