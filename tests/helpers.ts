// Test fixtures: an in-memory KV with a fixed data key, the real app in-process, and helpers
// that sign in and post forms the way a browser does (Origin header + CSRF token).
import { type AppConfig, loadConfig } from "../app.config.ts";
import { type Db, openDb } from "../services/db.ts";
import { migrate } from "../services/migrations.ts";
import { createApp } from "../lib/app.ts";
import { createUser, type User } from "../services/users.ts";
import type { Role } from "../domain/actor.ts";
import { SYSTEM } from "../domain/actor.ts";

// Cheap hashes in tests; production uses 310k PBKDF2 iterations.
Deno.env.set("PASSWORD_ITERATIONS", "1000");

export const ORIGIN = "http://localhost";

/** A valid Brazilian address for customer fixtures. */
export const SAMPLE_ADDRESS = {
  street: "Rua A",
  number: "1",
  district: "Centro",
  city: "Campinas",
  state: "SP",
  zip: "13010-000",
};
export const TEST_KEY = "A".repeat(43);

/** A migrated store that closes itself at the end of its scope: `await using db = await testDb()`. */
export type TestDb = Db & AsyncDisposable;

export async function testDb(now?: () => Date, path = ":memory:"): Promise<TestDb> {
  const db = await openDb({ path, dataKey: TEST_KEY, now });
  await migrate(db);
  return Object.assign(db, {
    // Closing twice throws: tests that still close by hand stay valid during the conversion.
    [Symbol.asyncDispose]: () => {
      try {
        db.kv.close();
      } catch { /* already closed */ }
      return Promise.resolve();
    },
  });
}

export function testConfig(over: Record<string, string> = {}): AppConfig {
  return loadConfig({ KV_PATH: ":memory:", LOG_REQUESTS: "false", SEED_DEMO: "false", ...over });
}

export async function testApp(
  over: Record<string, string> = {},
  now?: () => Date,
  path?: string,
) {
  const db = await testDb(now, path);
  const config = testConfig(over);
  const app = createApp(db, config);
  return {
    db,
    app,
    config,
    close: () => db.kv.close(),
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

type App = ReturnType<typeof createApp>;

let counter = 0;
export async function makeUser(db: Db, role: Role, password = "senha-forte-123"): Promise<User> {
  counter++;
  return await createUser(db, {
    username: `${role}${counter}`,
    name: `Pessoa ${role} ${counter}`,
    role,
    password,
  }, SYSTEM);
}

export interface Browser {
  cookie: string;
  csrf: string;
}

/** Signs in through POST /login and reads the CSRF token from a rendered page. */
export async function signInAs(
  app: App,
  username: string,
  password = "senha-forte-123",
): Promise<Browser> {
  const res = await app.request("/login", {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const page = await (await app.request("/app", { headers: { cookie } })).text();
  const csrf = page.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
  return { cookie, csrf };
}

export function postForm(
  app: App,
  path: string,
  fields: Record<string, string>,
  browser?: Browser,
  opts: { origin?: string | null; csrf?: boolean; ip?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  if (browser) headers.cookie = browser.cookie;
  const body = new URLSearchParams(fields);
  if (browser && opts.csrf !== false) body.set("_csrf", browser.csrf);
  return app.request(path, { method: "POST", headers, body }, {
    remoteAddr: { hostname: opts.ip ?? "127.0.0.1" },
  });
}
