import type { Translation } from "../../catalog.js";
import type en from "../en/configurations.js";

export default {
  pageTitle: "Konfigurationen",
  list: {
    intro:
      "Eine Konfiguration ist ein WireGuard-Netz, bereitgestellt von einem Interface auf jedem Knoten, der sie hostet.",
    new: "Neue Konfiguration",
    empty: "Noch keine Konfiguration.",
    emptyAdmin: " Legen Sie eine an, legen Sie sie auf einen Knoten und fügen Sie dann Peers hinzu.",
    peerCount: "{count} Peer | {count} Peers",
    noDescription: "Keine Beschreibung",
    notOnAnyNode: "auf keinem Knoten",
  },
  page: {
    defaultDescription: "WireGuard-Konfiguration",
    addInterface: "Interface hinzufügen",
    peerCreated: "Peer {name} erstellt. {link}, um Konfiguration und QR-Code zu erhalten.",
    openIt: "Öffnen Sie ihn",
    interfaces: "Interfaces",
    noInterface:
      "Diese Konfiguration hat noch kein Interface: Sie nimmt Peers auf, sobald sie auf einem Knoten läuft.",
    on: "auf",
    endpoint: "Endpunkt",
    port: "Port",
    address: "Adresse",
    publicKey: "Öffentlicher Schlüssel",
    copyPublicKey: "Öffentlichen Schlüssel kopieren",
    peers: "Peers",
    enabledOf: "{enabled} von {total} aktiviert",
    pool: "Pool {cidr}",
    removeFromNode: "Von diesem Knoten entfernen",
    removedFromNode: "{name} von {node} entfernt.",
    interfaceSaved: "Interface {name} gespeichert.",
    clientConfigsChanged:
      "Die Client-Konfiguration jedes Peers hat sich geändert: Clients müssen sie neu importieren.",
    needsInterfaceFirst:
      "{name} hat noch kein Interface: Legen Sie sie zuerst auf einen Knoten und fügen Sie dann Peers hinzu.",
    deleteTitle: "{name} löschen?",
    deleteWithPeers:
      "Damit wird {name} von allen Knoten entfernt und sein {count} Peer gelöscht. Dessen Client funktioniert nicht mehr. | Damit wird {name} von allen Knoten entfernt und seine {count} Peers gelöscht. Deren Clients funktionieren nicht mehr.",
    deleteEmpty: "Damit wird {name} von allen Knoten entfernt.",
    deleteConfirm: "Konfiguration löschen",
    removeTitle: "{name} von {node} entfernen?",
    removeWithPeers:
      "Das Interface wird heruntergefahren und sein {count} Peer gelöscht. | Das Interface wird heruntergefahren und seine {count} Peers gelöscht.",
    removeEmpty: "Das Interface wird auf diesem Knoten heruntergefahren.",
    removeConfirm: "Interface entfernen",
  },
  dialog: {
    newTitle: "Neue Konfiguration",
    editTitle: "{name} bearbeiten",
    name: "Name",
    nameHelp: "Bis zu 15 Zeichen; zugleich der Interface-Name auf jedem Knoten (z. B. wg0).",
    description: "Beschreibung",
    dns: "DNS für Clients",
    dnsHelp: "Adressen oder Suchdomänen, durch Kommas getrennt.",
    clientAllowedIps: "AllowedIPs der Clients",
    clientAllowedIpsHelp: "Was Clients durch den Tunnel leiten. Standard: alles.",
    mtu: "MTU",
    keepalive: "Persistent Keepalive (s)",
    create: "Konfiguration erstellen",
  },
  editInterface: {
    title: "{name} auf {node} bearbeiten",
    endpointHelp:
      "Ein Host (er übernimmt den Listen-Port) oder host:port. Leer: der Host des Knotens (derzeit {host}).",
    dnsHelp: "Durch Kommas getrennt. Leer: der Wert der Konfiguration.",
    mtuHelp: "Des Interfaces und seiner Clients. Leer: der Wert der Konfiguration.",
    clientConfigsChange:
      "Die Client-Konfiguration jedes Peers ändert sich; Clients müssen sie neu importieren.",
  },
  interfaceDialog: {
    title: "{name} auf einen Knoten legen",
    everyNodeHosts: "Jeder Knoten hostet diese Konfiguration bereits.",
    node: "Knoten",
    listenPort: "Listen-Port",
    pool4: "IPv4-Pool",
    pool4Help: "Seine erste Adresse gehört dem Interface selbst.",
    pool4Placeholder: "z. B. 198.51.100.0/24",
    pool6: "IPv6-Pool",
    pool6Placeholder: "z. B. 2001:db8:1::/64",
    endpoint: "Endpunkt für Clients",
    endpointHelp:
      "Ein Host (er übernimmt den Listen-Port) oder host:port; Standard: der Endpunkt-Host des Knotens.",
    endpointHelpLocal:
      "Der öffentliche Name oder die Adresse, mit der sich Clients verbinden (ein Host übernimmt den Listen-Port). Leer: der Hostname dieses Servers, {host}.",
    interfaceName: "Interface-Name",
    interfaceNameHelp: "Standard: {name}",
    submit: "Interface hinzufügen",
  },
} satisfies Translation<typeof en>;
