// File names inside a zip of client configs: each one safe on every file system (the peer's name with
// anything but letters, digits and "._-" replaced, no leading dot, no Windows device name) and unique
// even where case does not count ("Phone.conf", "phone-2.conf").
import { configFileName } from "./peer-config.js";

/** Windows refuses these as file names whatever the extension. */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export class ArchiveFileNames {
  private readonly taken = new Set<string>();

  /** A name for this peer's config that no earlier call returned. */
  next(peerName: string): string {
    let stem = configFileName(peerName).replace(/\.conf$/, "");
    if (WINDOWS_DEVICE_NAMES.test(stem)) stem = `${stem}_`;
    let candidate = `${stem}.conf`;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}.conf`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }

  /** Keeps a fixed name (such as NOT-INCLUDED.txt) from being given to a peer. */
  reserve(name: string): void {
    this.taken.add(name.toLowerCase());
  }
}
