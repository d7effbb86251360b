// Nodes: the servers that host interfaces.
export default {
  pageTitle: "Nodes",
  hostedOn: "Hosted on node {name}",
};
