// Peers as the API shows them, and the bodies and query that create, change and list them: declared
// once in @wgfleet/core (shared with the services and the web app), named here for the routes.
export {
  CreatePeerBodySchema as CreatePeerBody,
  ListPeersQuerySchema as ListPeersQuery,
  MovedPeerDtoSchema as MovedPeerSchema,
  MovePeerBodySchema as MovePeerBody,
  PeerDtoSchema as PeerSchema,
  PeerPageDtoSchema as PeerPage,
  UpdatePeerBodySchema as UpdatePeerBody,
} from "@wgfleet/core";
