// The user as the API shows it (declared in @wgfleet/core, shared with the web app), and the bodies
// that change users.
import { Type } from "@sinclair/typebox";
import { UserRoleSchema } from "@wgfleet/core";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../../auth/password.js";
import { USERNAME_PATTERN } from "../../../users/username.js";

export { UserDtoSchema as UserSchema } from "@wgfleet/core";

export const UsernameSchema = Type.String({ pattern: USERNAME_PATTERN, maxLength: 64 });
export const NewPasswordSchema = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
});

export const CreateUserBody = Type.Object(
  {
    username: UsernameSchema,
    password: NewPasswordSchema,
    role: Type.Optional(UserRoleSchema),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(UsernameSchema),
    role: Type.Optional(UserRoleSchema),
    password: Type.Optional(NewPasswordSchema),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    newPassword: NewPasswordSchema,
  },
  { additionalProperties: false },
);
