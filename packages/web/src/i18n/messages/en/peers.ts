// Peers: the table, a peer's page and its dialogs.
export default {};
