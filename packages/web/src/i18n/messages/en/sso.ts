// Single sign-on through the organisation's identity provider (OpenID Connect) on the sign-in page.
export default {
  button: "Sign in with {label}",
  orPassword: "Or sign in through your organisation's identity provider:",
  onlySso: "Sign in through your organisation's identity provider.",
  refused: {
    expired: "The single sign-on took too long or was started in another browser. Try again.",
    failed:
      "Single sign-on failed: the identity provider refused or could not be reached. Try again, or ask an administrator.",
    noRole:
      "Your account at the identity provider does not grant access to wgfleet. Ask an administrator to give you a role.",
    notLinked: "Your identity is not linked to a wgfleet user. Ask an administrator to link it.",
    lastAdmin:
      "The identity provider no longer makes you an admin, but you are the last admin here. Ask an administrator.",
    subject: "Your identity at the provider: {subject}",
  },
};
