// The fields of a user that leave the service: never the password hash or the TOTP secret. The shape
// is core's UserDto, the one the web app reads.
import type { UserDto } from "@wgfleet/core";
import type { UserRow } from "./user.repository.js";

export type { UserDto as UserView };

export function toUserView(row: UserRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    mustChangePassword: row.must_change_password === 1,
    totpEnabled: row.totp_secret_enc !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
