// Key scrubbing for messages that leave a node transport: base64 WireGuard keys (public or private)
// never travel in an error, a status reason or a log line. The one owner of the key pattern.
const KEY_PATTERN = /[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/g;

/** The message with every base64 key replaced by "<key>". */
export function scrubKeys(message: string): string {
  return message.replace(KEY_PATTERN, "<key>");
}
