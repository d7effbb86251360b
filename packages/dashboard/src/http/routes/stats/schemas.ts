// Traffic statistics as the API shows them and the query that asks for them: declared once in
// @wgfleet/core (shared with the web app).
export { TrafficDtoSchema as TrafficSchema, TrafficQuerySchema as TrafficQuery } from "@wgfleet/core";
