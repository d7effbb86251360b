// Configurations and their interfaces.
export default {
  pageTitle: "Configurations",
};
