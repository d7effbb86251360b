// The overview page.
export default {
  pageTitle: "Overview",
};
