// Debian's Chromium driven by playwright-core for the browser tests and the web bench: headless, no
// sandbox (root in CI), no background traffic, a fresh profile per launch. Console errors and page
// errors are collected so a test can fail on any of them; screenshots go under test-output/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { canIsolateBrowser, isolateBrowserNetwork } from "./browser-network.js";
import { OUTPUT_DIR } from "./dashboard.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const SCREENSHOT_DIR = join(OUTPUT_DIR, "screenshots");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * playwright gives every launch a fresh temporary --user-data-dir and removes it at close. As root,
 * Chromium runs in a network namespace of its own (see browser-network.ts), so that the namespaces
 * other tests add to the host meanwhile cannot break its requests; closing the browser removes it.
 */
export async function launchChromium(): Promise<Browser> {
  const network = canIsolateBrowser() ? await isolateBrowserNetwork(CHROMIUM_PATH) : null;
  try {
    const browser = await chromium.launch({
      executablePath: network?.executablePath ?? CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(network?.args ?? [])],
      timeout: 60_000,
    });
    if (network) {
      const closeBrowser = browser.close.bind(browser);
      browser.close = async (options) => {
        try {
          await closeBrowser(options);
        } finally {
          await network.close();
        }
      };
      browser.on("disconnected", () => void network.close());
    }
    return browser;
  } catch (error) {
    await network?.close();
    throw error;
  }
}

export interface ErrorWatch {
  /** Errors since the last take(), then forgets them. */
  take(): string[];
}

export function watchErrors(page: Page): ErrorWatch {
  let errors: string[] = [];
  page.on("console", (message) => {
    // Every console error counts, a failed request's "Failed to load resource … 401" included.
    if (message.type() === "error") errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return {
    take() {
      const taken = errors;
      errors = [];
      return taken;
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// These run in the page; the repository's type check has no DOM library, so they are plain strings.
const UNLABELLED_CONTROLS = `[...document.querySelectorAll("input, select, textarea")]
  .filter((c) => c.type !== "hidden" && c.offsetParent !== null)
  .filter((c) => (c.labels?.length ?? 0) === 0 && !c.getAttribute("aria-label") && !c.getAttribute("aria-labelledby"))
  .map((c) => c.outerHTML.slice(0, 120))`;
const OVERFLOWS = "document.documentElement.scrollWidth > window.innerWidth + 1";

/** Visible inputs, selects and textareas on the page (dialogs included) that have no accessible name. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(UNLABELLED_CONTROLS);
}

/** Whether the page scrolls sideways (a layout that does not fit a phone). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(OVERFLOWS);
}
