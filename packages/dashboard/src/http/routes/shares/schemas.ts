// Share links as the API shows them and the body that creates one: declared once in @wgfleet/core
// (shared with the web app). The link's address (with its token) appears only in the creation answer.
export {
  CreatedShareLinkDtoSchema as CreatedShareLinkSchema,
  CreateShareLinkBodySchema as CreateShareLinkBody,
  ShareLinkDtoSchema as ShareLinkSchema,
  ShareLinkListDtoSchema as ShareLinkListSchema,
} from "@wgfleet/core";
