import assert from "node:assert/strict";
import { makeUser, signInAs, testApp } from "../helpers.ts";

Deno.test("an unexpected failure answers 500 in pt-BR without a stack trace, logged with its id", async () => {
  const { app, db, close } = await testApp();
  const u = await makeUser(db, "attendant");
  const b = await signInAs(app, u.username);
  const logged: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => logged.push(a.join(" "));
  try {
    close(); // KV gone: every read now throws
    const res = await app.request("/app", { headers: { cookie: b.cookie } });
    assert.equal(res.status, 500);
    const html = await res.text();
    assert.match(html, /Não foi possível concluir/);
    assert.doesNotMatch(html, /\.ts:\d+|Error:|at /);
    const id = res.headers.get("x-request-id");
    assert.ok(id && logged.some((l) => l.includes(id)), "the log names the request id");
    const json = await app.request("/app", {
      headers: { cookie: b.cookie, accept: "application/json" },
    });
    assert.equal(json.status, 500);
    assert.deepEqual(Object.keys(await json.json()), ["error"]);
  } finally {
    console.error = orig;
  }
});

Deno.test("a body over the limit gets 413 with a pt-BR message", async () => {
  const { app, close } = await testApp();
  try {
    const big = new Uint8Array(13 * 1024 * 1024);
    const res = await app.request("/login", {
      method: "POST",
      headers: {
        origin: "http://localhost",
        "content-type": "application/octet-stream",
        "content-length": String(big.length),
      },
      body: big,
    });
    assert.equal(res.status, 413);
    assert.match(await res.text(), /limite de 12 MB/);
  } finally {
    close();
  }
});

Deno.test("one JSON log line per request with id, route, status and ms", async () => {
  const { app, close } = await testApp({ LOG_REQUESTS: "true" });
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    await app.request("/r/segredo-do-cliente");
    await app.request("/healthz");
  } finally {
    console.log = orig;
    close();
  }
  const parsed = lines.map((l) => JSON.parse(l));
  assert.equal(parsed.length, 2);
  assert.deepEqual(Object.keys(parsed[1]).sort(), ["id", "method", "ms", "route", "status", "t"]);
  assert.equal(parsed[1].route, "/healthz");
  assert.equal(parsed[0].route, "/r/:token", "tokens never reach the logs");
  assert.ok(!lines.join("").includes("segredo-do-cliente"));
});
