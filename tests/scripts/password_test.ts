// Staff passwords after the first start (#16 item 14): ADMIN_PASSWORD on a store that already
// has accounts changes nothing and the start says so (without the value), and
// `deno task password USER` resets one: policy enforced, audited, never echoed.
import assert from "node:assert/strict";
import { TEST_KEY, testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { findUserByUsername } from "../../services/users.ts";
import { verifyPassword } from "../../services/passwords.ts";
import { auditOf } from "../../services/audit.ts";
import { start } from "../../main.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIRST = "senha-inicial-123";

async function seededStore(dir: string): Promise<string> {
  const path = `${dir}/renova.kv`;
  await using db = await testDb(undefined, path);
  await seedIfEmpty(db, { ADMIN_PASSWORD: FIRST });
  return path;
}

async function runPassword(path: string, user: string, stdin: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/password.ts", user],
    cwd: ROOT,
    env: { KV_PATH: path, RENOVA_DATA_KEY: TEST_KEY, PASSWORD_ITERATIONS: "1000" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

async function adminOf(path: string) {
  await using db = await testDb(undefined, path);
  const admin = (await findUserByUsername(db, "admin"))!;
  return { hash: admin.passwordHash, audit: await auditOf(db, `user:${admin.id}`) };
}

Deno.test("start: ADMIN_PASSWORD on a store with accounts is reported as ignored, value never shown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "renova-pw-" });
  const warned: string[] = [];
  const origWarn = console.warn, origLog = console.log;
  console.warn = (...a: unknown[]) => warned.push(a.join(" "));
  console.log = () => {};
  try {
    const path = await seededStore(dir);
    const app = await start({
      PORT: "0",
      KV_PATH: path,
      RENOVA_DATA_KEY: TEST_KEY,
      LOG_REQUESTS: "false",
      ADMIN_PASSWORD: "outra-senha-secreta-456",
    });
    await app.stopJobs();
    await app.server.shutdown();
    app.db.kv.close();
    const notice = warned.find((l) => l.includes("ADMIN_PASSWORD"));
    assert.ok(notice, `a notice names ADMIN_PASSWORD: ${warned.join(" | ")}`);
    assert.match(notice, /ignorada/);
    assert.match(notice, /deno task password/);
    assert.doesNotMatch(warned.join("\n"), /outra-senha-secreta-456/);
    assert.ok(await verifyPassword(FIRST, (await adminOf(path)).hash), "password unchanged");
  } finally {
    console.warn = origWarn;
    console.log = origLog;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task password: sets the new password, audited, never printed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "renova-pw-" });
  try {
    const path = await seededStore(dir);
    const r = await runPassword(path, "admin", "nova-senha-forte-789\n");
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /Senha de admin alterada/);
    assert.doesNotMatch(r.text, /nova-senha-forte-789/);
    const after = await adminOf(path);
    assert.ok(await verifyPassword("nova-senha-forte-789", after.hash));
    const ev = after.audit.find((e) => e.action === "user.password_reset");
    assert.ok(ev, "audited");
    assert.equal(ev.actor.name, "deno task password");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task password: a short password is refused and nothing changes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "renova-pw-" });
  try {
    const path = await seededStore(dir);
    const r = await runPassword(path, "admin", "curta\n");
    assert.equal(r.code, 1);
    assert.match(r.text, /pelo menos 10 caracteres/);
    assert.doesNotMatch(r.text, /curta/);
    const after = await adminOf(path);
    assert.ok(await verifyPassword(FIRST, after.hash));
    assert.ok(!after.audit.some((e) => e.action === "user.password_reset"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
