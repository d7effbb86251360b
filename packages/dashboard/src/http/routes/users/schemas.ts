// The user as the API shows it and the bodies that change users: declared once in @wgfleet/core
// (shared with the web app).
export {
  ChangePasswordBodySchema as ChangePasswordBody,
  CreateUserBodySchema as CreateUserBody,
  UpdateUserBodySchema as UpdateUserBody,
  UserDtoSchema as UserSchema,
} from "@wgfleet/core";
