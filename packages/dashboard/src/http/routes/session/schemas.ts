// Login, and the session as the API shows it (declared in @wgfleet/core, shared with the web app).
import { Type } from "@sinclair/typebox";
import { PASSWORD_MAX_LENGTH } from "../../../auth/password.js";

export { SessionDtoSchema as SessionSchema } from "@wgfleet/core";

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    totp: Type.Optional(
      Type.String({ maxLength: 16, description: "not checked yet (TOTP is not implemented)" }),
    ),
  },
  { additionalProperties: false },
);
