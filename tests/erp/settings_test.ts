// ERP settings from the environment: off without IXC_URL/IXC_TOKEN, one clear pt-BR message
// for each bad value, the token never stored.
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../app.config.ts";
import { testDb } from "../helpers.ts";
import { keys } from "../../services/keys.ts";
import { saveErpSwitch } from "../../services/erp/settings.ts";

const base = { KV_PATH: ":memory:", SEED_DEMO: "false" };

Deno.test("erp settings: no IXC_URL and no IXC_TOKEN means no ERP", () => {
  assert.equal(loadConfig(base).erp, undefined);
});

Deno.test("erp settings: bad values stop the start with one message each", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ IXC_URL: "https://erp.example.com/webservice/v1" }, /IXC_URL e IXC_TOKEN juntos/],
    [{ IXC_URL: "erp.example.com", IXC_TOKEN: "7:abc" }, /IXC_URL inválida/],
    [{ IXC_URL: "http://erp.example.com/webservice/v1", IXC_TOKEN: "7:abc" }, /https:\/\//],
    [{ IXC_URL: "https://erp.example.com/webservice/v1", IXC_TOKEN: "abc" }, /id:token/],
    [
      { IXC_URL: "https://erp.example.com/webservice/v1", IXC_TOKEN: "7:abc", ERP_INVOICES: "x" },
      /ERP_INVOICES/,
    ],
    [
      {
        IXC_URL: "https://erp.example.com/webservice/v1",
        IXC_TOKEN: "7:abc",
        IXC_CA_CERT_FILE: "/nao/existe.pem",
      },
      /IXC_CA_CERT_FILE/,
    ],
  ];
  for (const [env, msg] of cases) {
    assert.throws(() => loadConfig({ ...base, ...env }), (e: Error) => {
      return e instanceof ConfigError && msg.test(e.message) && !e.message.includes("7:abc");
    });
  }
});

Deno.test("erp settings: the store learns that an ERP is connected, never its token", async () => {
  await using db = await testDb();
  const erp = loadConfig({
    ...base,
    IXC_URL: "https://erp.example.com/webservice/v1",
    IXC_TOKEN: "7:segredo-do-token",
    ERP_INVOICES: "erp",
  }).erp;
  await saveErpSwitch(db, erp);
  const stored = (await db.kv.get(keys.erpSettings())).value;
  assert.deepEqual(stored, { adapter: "ixc", invoices: "erp" });
  assert.ok(!JSON.stringify(stored).includes("segredo"));
  await saveErpSwitch(db, undefined);
  assert.equal((await db.kv.get(keys.erpSettings())).value, null, "turned off at the next start");
});
