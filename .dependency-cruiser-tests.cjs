// The import rules that also hold for tests and test support (second run of `npm run lint:imports`):
// no relative path into another package, and every import resolves. The package rules live in
// .dependency-cruiser.cjs, which leaves tests out.
const production = require("./.dependency-cruiser.cjs");

const TEST_RULES = ["no-relative-import-across-packages", "no-unresolvable-import"];
/** Anything in a package that is not a test file or test helper: resolved as a target, never read. */
const NOT_A_TEST = "^packages/(?![^/]+/test/)(?!.*/test-support/)(?!.*\\.test\\.ts$).*\\.(ts|vue|[cm]?js)$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: production.forbidden.filter((rule) => TEST_RULES.includes(rule.name)),
  options: {
    ...production.options,
    exclude: { path: ["^packages/[^/]+/dist/"] },
    doNotFollow: { path: ["node_modules", NOT_A_TEST, "^test/", "^bench/"] },
  },
};
