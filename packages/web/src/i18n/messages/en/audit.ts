// The Audit page: who changed what, when and from where.
export default {
  title: "Audit trail",
  intro:
    "Every change made through the API or this app: who made it, when, from which address, and which fields changed. Secrets are never shown, only that they changed.",
  filters: {
    actor: "User or API key",
    actorHelp: "The exact name.",
    entity: "Kind",
    anyEntity: "Any kind",
    action: "Action",
    actionHelp: "For example peer.update, or peer for every peer action.",
    from: "From",
    to: "Until",
    apply: "Apply filters",
    reset: "Reset",
  },
  entities: {
    peer: "Peer",
    configuration: "Configuration",
    interface: "Interface",
    node: "Node",
    user: "User",
    apikey: "API key",
    session: "Sign-in",
  },
  columns: {
    when: "When",
    who: "Who",
    what: "What",
    changes: "Changes",
    address: "Address",
  },
  viaKey: "with API key {key}",
  secretChanged: "changed",
  empty: "No entries match.",
  more: "Older entries",
};
