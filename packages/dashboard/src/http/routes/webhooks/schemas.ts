// Webhooks as the API shows them and the bodies that add and change one: declared once in
// @wgfleet/core (shared with the web app). The secret appears only in the answer to the creation.
export {
  CreatedWebhookDtoSchema as CreatedWebhookSchema,
  CreateWebhookBodySchema as CreateWebhookBody,
  UpdateWebhookBodySchema as UpdateWebhookBody,
  WebhookDeliveriesQuerySchema as WebhookDeliveriesQuery,
  WebhookDeliveryDtoSchema as WebhookDeliverySchema,
  WebhookDtoSchema as WebhookSchema,
} from "@wgfleet/core";
