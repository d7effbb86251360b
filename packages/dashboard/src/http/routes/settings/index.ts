// The settings area: the e-mail (SMTP) settings and their test mail.
import type { AreaPlugin } from "../../types.js";
import { emailSettingsRoute } from "./email.get.js";
import { updateEmailSettingsRoute } from "./email.put.js";
import { testEmailRoute } from "./email-test.post.js";

export const settingsRoutes: AreaPlugin = async (app, { context }) => {
  emailSettingsRoute(app, context);
  updateEmailSettingsRoute(app, context);
  testEmailRoute(app, context);
};
