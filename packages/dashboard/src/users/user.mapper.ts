// The fields of a user that leave the service: never the password hash or the TOTP secret.
import type { Role } from "../auth/actor.js";
import type { UserRow } from "./user.repository.js";

export interface UserView {
  id: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
