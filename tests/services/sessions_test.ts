import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import {
  createSession,
  destroySession,
  readSession,
  revokeUserSessions,
} from "../../services/sessions.ts";
import { keys } from "../../services/keys.ts";
import { sha256Hex } from "../../services/crypto.ts";

const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

Deno.test("sessions: only the token hash is stored; idle and absolute expiry hold", async () => {
  let now = Date.parse("2026-11-28T12:00:00Z");
  await using db = await testDb(() => new Date(now));
  const { token } = await createSession(db, "u1", policy);
  assert.equal((await db.kv.get(keys.session(token))).value, null, "raw token is not a key");
  assert.ok((await db.kv.get(keys.session(await sha256Hex(token)))).value);

  now += 29 * 60_000;
  assert.ok(await readSession(db, token, policy), "within idle window");
  now += 29 * 60_000;
  assert.ok(await readSession(db, token, policy), "activity slid the idle window");
  now += 31 * 60_000;
  assert.equal(await readSession(db, token, policy), null, "idle expiry");

  const s2 = await createSession(db, "u1", policy);
  for (let i = 0; i < 30; i++) {
    now += 25 * 60_000; // active all day long
    if (i < 28) assert.ok(await readSession(db, s2.token, policy));
  }
  assert.equal(await readSession(db, s2.token, policy), null, "absolute expiry");
});

Deno.test("sessions: logout and revocation end them", async () => {
  await using db = await testDb();
  const a = await createSession(db, "u1", policy);
  const b = await createSession(db, "u1", policy);
  await destroySession(db, a.token);
  assert.equal(await readSession(db, a.token, policy), null);
  assert.ok(await readSession(db, b.token, policy));
  assert.equal(await revokeUserSessions(db, "u1"), 1);
  assert.equal(await readSession(db, b.token, policy), null);
  assert.equal(await readSession(db, "made-up", policy), null);
});
