// Sign-in hardening (#14 items 6 and 7): the per-IP limit holds behind a proxy whatever the
// client writes in X-Forwarded-For, and an unknown username costs the same PBKDF2 work as a
// known one.
import assert from "node:assert/strict";
import { makeUser, ORIGIN, testApp } from "../helpers.ts";
import { clientIp } from "../../lib/client_ip.ts";
import { ACCOUNT_LIMIT, IP_LIMIT } from "../../services/auth.ts";

function login(
  app: Awaited<ReturnType<typeof testApp>>["app"],
  username: string,
  headers: Record<string, string> = {},
  peer = "10.9.9.9",
) {
  return app.request("/login", {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ username, password: "errada-errada" }),
  }, { remoteAddr: { hostname: peer } });
}

Deno.test("behind a proxy, rotating the left-most X-Forwarded-For does not escape the IP limit", async () => {
  const { app, close } = await testApp({ TRUST_PROXY: "true" });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      // The client writes the first value; our one proxy appends the address it saw.
      const res = await login(app, `ninguem${i}`, {
        "x-forwarded-for": `198.51.100.${i}, 203.0.113.7`,
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.equal(statuses.filter((s) => s === 401).length, 30);
    assert.equal(statuses.at(-1), 429);
  } finally {
    close();
  }
});

Deno.test("clientIp: the right-most address not added by a trusted proxy", () => {
  const xff = "1.1.1.1, 198.51.100.4, 203.0.113.7";
  assert.equal(clientIp({ xff, peer: "10.0.0.1", trustProxy: false, hops: 1 }), "10.0.0.1");
  assert.equal(clientIp({ xff, peer: "10.0.0.1", trustProxy: true, hops: 1 }), "203.0.113.7");
  assert.equal(clientIp({ xff, peer: "10.0.0.1", trustProxy: true, hops: 2 }), "198.51.100.4");
  // More hops configured than addresses present: the left-most, never past the header.
  assert.equal(
    clientIp({ xff: "5.5.5.5", peer: "10.0.0.1", trustProxy: true, hops: 3 }),
    "5.5.5.5",
  );
  assert.equal(
    clientIp({ xff: undefined, peer: "10.0.0.1", trustProxy: true, hops: 1 }),
    "10.0.0.1",
  );
  // With trusted proxy ranges: skip those from the right, take the first outside them.
  assert.equal(
    clientIp({
      xff: "6.6.6.6, 198.51.100.4, 10.1.2.3",
      peer: "10.0.0.1",
      trustProxy: true,
      hops: 1,
      proxies: ["10.0.0.0/8"],
    }),
    "198.51.100.4",
  );
  assert.equal(
    clientIp({
      xff: "2001:db8:1::5, 2001:db8:ffff::1",
      peer: "2001:db8:ffff::2",
      trustProxy: true,
      hops: 1,
      proxies: ["2001:db8:ffff::/48"],
    }),
    "2001:db8:1::5",
  );
  // A peer outside the trusted ranges wrote the header itself: ignored.
  assert.equal(
    clientIp({
      xff: "6.6.6.6",
      peer: "192.0.2.1",
      trustProxy: true,
      hops: 1,
      proxies: ["10.0.0.0/8"],
    }),
    "192.0.2.1",
  );
});

Deno.test("an unknown username costs the PBKDF2 work of a known one (PASSWORD_ITERATIONS honoured)", async () => {
  const { app, db, close } = await testApp();
  const subtle = crypto.subtle;
  const original = subtle.deriveBits;
  const seen: number[] = [];
  // Observe (not replace) the key derivation: record the cost each sign-in asks for.
  subtle.deriveBits = function (algorithm: AlgorithmIdentifier, key: CryptoKey, length: number) {
    seen.push((algorithm as Pbkdf2Params).iterations);
    return original.call(subtle, algorithm, key, length);
  } as typeof subtle.deriveBits;
  try {
    const u = await makeUser(db, "attendant");
    seen.length = 0;
    await (await login(app, u.username)).body?.cancel();
    const known = [...seen];
    seen.length = 0;
    await (await login(app, "nao-existe")).body?.cancel();
    assert.deepEqual(known, [Number(Deno.env.get("PASSWORD_ITERATIONS"))]);
    assert.deepEqual(seen, known);
  } finally {
    subtle.deriveBits = original;
    close();
  }
});

Deno.test("a parallel burst of wrong passwords checks at most the account limit, the rest 429, a right one in it gets in only on a free slot", async () => {
  const { app, db, close } = await testApp();
  const subtle = crypto.subtle;
  const original = subtle.deriveBits;
  let verified = 0;
  // Observe (not replace) the key derivation: one per password actually checked.
  subtle.deriveBits = function (algorithm: AlgorithmIdentifier, key: CryptoKey, length: number) {
    verified++;
    return original.call(subtle, algorithm, key, length);
  } as typeof subtle.deriveBits;
  try {
    const u = await makeUser(db, "admin");
    verified = 0;
    const form = (password: string) =>
      app.request("/login", {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: u.username, password }),
      }, { remoteAddr: { hostname: "10.7.7.7" } });
    // 30 wrong guesses at once, the right password sent last in the same burst.
    const burst = [
      ...Array.from({ length: 30 }, () => form("errada-errada")),
      form("senha-forte-123"),
    ];
    const statuses = await Promise.all(burst.map(async (p) => {
      const res = await p;
      await res.body?.cancel();
      return res.status;
    }));
    assert.ok(verified <= ACCOUNT_LIMIT.max, `${verified} passwords checked`);
    assert.equal(statuses.filter((s) => s >= 500).length, 0, "no 500");
    const checked = statuses.filter((s) => s === 401 || s === 303).length;
    assert.ok(checked <= ACCOUNT_LIMIT.max, `${checked} answered after a check`);
    assert.equal(statuses.filter((s) => s === 429).length, statuses.length - checked);
  } finally {
    subtle.deriveBits = original;
    close();
  }
});

Deno.test("right passwords do not use up the address's sign-in limit (the reserved use is given back)", async () => {
  const { app, db, close } = await testApp();
  try {
    const u = await makeUser(db, "attendant");
    for (let i = 0; i < IP_LIMIT.max + 5; i++) {
      const res = await app.request("/login", {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: u.username, password: "senha-forte-123" }),
      }, { remoteAddr: { hostname: "10.8.8.8" } });
      assert.equal(res.status, 303, `sign-in ${i + 1}`);
      await res.body?.cancel();
    }
  } finally {
    close();
  }
});
