// The write-back survives a kill -9 in the middle: `deno task erp:push` runs as a child
// process; the stand-in applies a write and holds its answer while the child is killed; a
// second run finds that write already in IXC and sends the rest. Every write lands once.
import assert from "node:assert/strict";
import { TEST_KEY, testDb } from "../helpers.ts";
import { IxcStandin, OS_IDS, TOKEN } from "./fixtures.ts";
import { erpRenewal, erpWrites } from "./writeback.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function push(kvPath: string, url: string) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/erp_push.ts"],
    cwd: ROOT,
    env: {
      KV_PATH: kvPath,
      RENOVA_DATA_KEY: TEST_KEY,
      IXC_URL: url,
      IXC_TOKEN: TOKEN,
      ERP_PUSH_LEASE_SECONDS: "1",
      SEED_DEMO: "false",
      ...OS_IDS,
    },
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test({
  name:
    "erp push: a kill -9 between IXC applying a write and Renova recording it sends nothing twice",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const kvPath = `${dir}/renova.kv`;
    const s = new IxcStandin().start();
    try {
      let erpId = "", invoices = 0;
      {
        await using db = await testDb(undefined, kvPath);
        const r = await erpRenewal(db, s);
        erpId = r.erpId;
        invoices = r.c.invoices!.length;
      }
      // Third write: the ticket (POST su_oss_chamado) is in IXC, its answer never arrives.
      s.holdAt = 3;
      const child = push(kvPath, s.url).spawn();
      const killed = new Promise<void>((resolve) => {
        s.onHold = () => {
          child.kill("SIGKILL");
          resolve();
        };
      });
      await killed;
      const first = await child.output();
      assert.equal(first.success, false, "the first run died");
      assert.equal(s.writes.length, 3);
      await new Promise((r) => setTimeout(r, 1100)); // its claim runs out
      const second = await push(kvPath, s.url).output();
      const out = new TextDecoder().decode(second.stdout).trim().split("\n").at(-1)!;
      assert.equal(second.success, true, new TextDecoder().decode(second.stderr));
      const sum = JSON.parse(out);
      assert.equal(sum.already, 1, "the cut-off write was found in IXC");
      assert.equal(s.writesTo(`PUT cliente_contrato/${erpId}`), 2, "plan, then renewal dates");
      assert.equal(s.writesTo("POST su_oss_chamado"), 1, "one ticket");
      assert.equal(s.writesTo("POST su_oss_chamado_fechar"), 1, "closed once");
      assert.equal(s.writesTo("POST cliente_arquivos"), 1);
      assert.equal(s.writesTo("POST fn_areceber"), invoices);
      await using db = await testDb(undefined, kvPath);
      assert.ok((await erpWrites(db)).every((w) => w.status === "done"));
    } finally {
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
