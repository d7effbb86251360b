// Einmalanmeldung über den Identitätsanbieter der Organisation (OpenID Connect) auf der Anmeldeseite.
export default {
  button: "Anmelden mit {label}",
  orPassword: "Oder über den Identitätsanbieter Ihrer Organisation anmelden:",
  onlySso: "Melden Sie sich über den Identitätsanbieter Ihrer Organisation an.",
  refused: {
    expired:
      "Die Einmalanmeldung hat zu lange gedauert oder wurde in einem anderen Browser begonnen. Bitte erneut versuchen.",
    failed:
      "Die Einmalanmeldung ist fehlgeschlagen: Der Identitätsanbieter hat abgelehnt oder war nicht erreichbar. Bitte erneut versuchen oder einen Administrator fragen.",
    noRole:
      "Ihr Konto beim Identitätsanbieter gewährt keinen Zugang zu wgfleet. Bitten Sie einen Administrator, Ihnen eine Rolle zu geben.",
    notLinked:
      "Ihre Identität ist mit keinem wgfleet-Benutzer verknüpft. Bitten Sie einen Administrator, sie zu verknüpfen.",
    lastAdmin:
      "Der Identitätsanbieter macht Sie nicht mehr zum Administrator, Sie sind hier aber der letzte. Bitte einen Administrator fragen.",
    subject: "Ihre Identität beim Anbieter: {subject}",
  },
};
