// `deno task erp:pull --dry-run` as a child process against the stand-in IXC: it judges every
// row and says why bad ones would be refused, and leaves the store as it found it — no
// customer, no contract, no import job.
import assert from "node:assert/strict";
import { TEST_KEY, testDb } from "../helpers.ts";
import { keys } from "../../services/keys.ts";
import { fillIxc, IxcStandin, plansMapped, TOKEN } from "../erp/fixtures.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function count(db: Deno.Kv, prefix: Deno.KvKey): Promise<number> {
  let n = 0;
  for await (const _ of db.list({ prefix })) n++;
  return n;
}

Deno.test({
  name: "erp:pull --dry-run reports every row and leaves no import job, customer or contract",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const kvPath = `${dir}/renova.kv`;
    const s = new IxcStandin().start();
    try {
      fillIxc(s, 3);
      s.put("cliente_contrato", { id: "2", id_cliente: "2", data_expiracao: "31/02/2026" });
      let before: number[];
      {
        await using db = await testDb(undefined, kvPath);
        await plansMapped(db);
        before = [
          await count(db.kv, keys.importJobs()),
          await count(db.kv, keys.customers()),
          await count(db.kv, keys.contracts()),
        ];
      }
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/erp_pull.ts", "--dry-run"],
        cwd: ROOT,
        env: {
          KV_PATH: kvPath,
          RENOVA_DATA_KEY: TEST_KEY,
          IXC_URL: s.url,
          IXC_TOKEN: TOKEN,
          SEED_DEMO: "false",
        },
      }).output();
      const stdout = new TextDecoder().decode(out.stdout).trim().split("\n");
      assert.equal(out.success, true, new TextDecoder().decode(out.stderr));
      const sum = JSON.parse(stdout.at(-1)!);
      assert.equal(sum.dryRun, true);
      assert.equal(sum.read.contracts, 3);
      assert.equal(sum.counts.bad, 1, JSON.stringify(sum.counts));
      assert.ok(stdout.some((l) => /contrato na linha \d+ \(cliente 2\)/.test(l)), "its reason");
      await using db = await testDb(undefined, kvPath);
      assert.deepEqual(
        [
          await count(db.kv, keys.importJobs()),
          await count(db.kv, keys.customers()),
          await count(db.kv, keys.contracts()),
        ],
        before,
        "no import job, customer or contract written",
      );
      assert.equal(await count(db.kv, ["import_progress"] as const), 0);
      assert.equal(await count(db.kv, ["import_issues"]), 0);
    } finally {
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
