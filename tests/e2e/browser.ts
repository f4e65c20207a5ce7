// Shared browser-walk setup: the real app on a random loopback port, Debian's Chromium driven
// by playwright-core, screenshots saved under artifacts/ (git-ignored).
import { type Browser, chromium, type Page } from "playwright-core";
import { start } from "../../main.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
export const ARTIFACTS = new URL("../../artifacts/", import.meta.url);

export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export const STAFF_PASSWORDS = {
  ADMIN_PASSWORD: "admin-senha-e2e",
  SUPERVISOR_PASSWORD: "super-senha-e2e",
  ATTENDANT1_PASSWORD: "atend1-senha-e2e",
  ATTENDANT2_PASSWORD: "atend2-senha-e2e",
};

/** Starts the whole app (seeded demo data, :memory: KV) exactly as `deno task start` does. */
export async function startServer(extra: Record<string, string> = {}) {
  const origLog = console.log;
  console.log = () => {}; // the seed prints credentials; keep test output readable
  try {
    const app = await start({
      PORT: "0",
      KV_PATH: ":memory:",
      LOG_REQUESTS: "false",
      OUTBOX_LOG: "false",
      ...STAFF_PASSWORDS,
      ...extra,
    });
    const base = `http://localhost:${app.server.addr.port}`;
    return {
      ...app,
      base,
      async stop() {
        await app.stopJobs();
        await app.server.shutdown();
        app.db.kv.close();
      },
    };
  } finally {
    console.log = origLog;
  }
}

export async function shot(
  page: { screenshot(o: { path: string; fullPage: boolean }): Promise<unknown> },
  name: string,
) {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const path = new URL(name, ARTIFACTS).pathname;
  // Chromium now and then answers "Unable to capture screenshot" on a busy machine (once in
  // ~6 CI runs, right after another context closed): the picture is for people, so try again.
  for (let attempt = 1;; attempt++) {
    try {
      return void await page.screenshot({ path, fullPage: true });
    } catch (e) {
      if (attempt >= 3 || !/Unable to capture screenshot/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

/** Clicks the (first) button with this name and waits for the page it loads. */
export async function clickButton(page: Page, name: string | RegExp) {
  await Promise.all([
    page.waitForLoadState("load"),
    page.getByRole("button", { name }).first().click(),
  ]);
}
