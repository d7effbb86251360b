// Steps on a peer's page shared by the browser tests (kept apart from browser.ts, which the web bench
// also loads without Vitest).
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "./browser.js";

/** Opens the peer page's QR code, waits until the image has really loaded, screenshots it and closes it. */
export async function checkQrCode(page: Page, screenshotName: string): Promise<void> {
  await page.getByTestId("show-qr").click();
  const qr = page.getByTestId("qr-image");
  await qr.waitFor();
  const loaded = (img: unknown) => {
    const image = img as { complete: boolean; naturalWidth: number };
    return image.complete && image.naturalWidth > 0;
  };
  await expect.poll(() => qr.evaluate(loaded)).toBe(true);
  await screenshot(page, screenshotName);
  await page.keyboard.press("Escape");
  await qr.waitFor({ state: "hidden" });
}
