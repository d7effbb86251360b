// QR codes as SVG text (a peer's client config, a two-factor enrolment). The qrcode package is loaded
// at the first code drawn, not at start: most server processes never draw one, and it holds about
// 0.4 MB of heap with its PNG and terminal renderers.

export async function qrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
