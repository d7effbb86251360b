// The user as the API shows it, and the bodies that change users.
import { Type } from "@sinclair/typebox";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../../auth/password.js";
import { USERNAME_PATTERN } from "../../../users/username.js";
import { Timestamp } from "../../schemas.js";

export const RoleSchema = Type.Union([Type.Literal("admin"), Type.Literal("viewer")]);

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  mustChangePassword: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const UsernameSchema = Type.String({ pattern: USERNAME_PATTERN, maxLength: 64 });
export const NewPasswordSchema = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
});

export const CreateUserBody = Type.Object(
  {
    username: UsernameSchema,
    password: NewPasswordSchema,
    role: Type.Optional(RoleSchema),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(UsernameSchema),
    role: Type.Optional(RoleSchema),
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
