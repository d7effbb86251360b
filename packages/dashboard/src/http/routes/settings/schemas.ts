// The e-mail settings as the API shows them and the bodies that change and try them: declared once in
// @wgfleet/core (shared with the web app).
export {
  EmailSettingsDtoSchema as EmailSettingsSchema,
  TestEmailBodySchema as TestEmailBody,
  TestEmailResultDtoSchema as TestEmailResultSchema,
  UpdateEmailSettingsBodySchema as UpdateEmailSettingsBody,
} from "@wgfleet/core";
