// The whole bridge, end to end: an admin pulls the due contracts from the stand-in IXC over
// HTTP (/admin/erp), a renewal of one of them runs through the real services (factories walk
// the steps), `deno task erp:push` runs as its own process, and the stand-in then holds
// everything an attendant used to retype: plan, renewal dates and loyalty, the ticket opened
// and closed with Renova's protocol, the signed PDF and the invoices. One step per thing.
import assert from "node:assert/strict";
import { makeUser, postForm, signInAs, TEST_KEY, testApp } from "../helpers.ts";
import { settled } from "../../services/erp/schedule.ts";
import { saveErpSwitch } from "../../services/erp/settings.ts";
import { listDue } from "../../services/contracts.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getPlan, setPlanErpMapping } from "../../services/plans.ts";
import { getCase, type RenewalCase } from "../../services/renewals/cases.ts";
import { sha256Hex } from "../../services/crypto.ts";
import { keys } from "../../services/keys.ts";
import { caseAt, walkTo } from "../factories.ts";
import { fillIxc, IxcStandin, OS_IDS, plansMapped, TOKEN } from "./fixtures.ts";
import { erpWrites } from "./writeback.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const NOW = Date.parse("2026-12-01T13:00:00Z");

Deno.test({
  name: "erp journey: pulled from IXC, renewed in Renova, pushed back — nothing typed by hand",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    const kvPath = `${dir}/renova.kv`;
    const s = new IxcStandin().start();
    const env = { IXC_URL: s.url, IXC_TOKEN: TOKEN, ...OS_IDS };
    let c: RenewalCase;
    let plan: { id: string; loyaltyMonths: number };
    try {
      fillIxc(s, 3, "20/12/2026");
      {
        await using app = await testApp(env, () => new Date(NOW), kvPath);
        await saveErpSwitch(app.db, app.config.erp); // what the server does at start (main.ts)
        const plans = await plansMapped(app.db); // the admin maps IXC's plans to Renova's
        await setPlanErpMapping(app.db, "12", plans[2].id);
        const admin = await signInAs(app.app, (await makeUser(app.db, "admin")).username);
        const pulled = await postForm(app.app, "/admin/erp", { action: "pull" }, admin);
        assert.equal(pulled.headers.get("location"), "/admin/erp?ok=pull");
        await settled();
        const erpContract = (await app.db.kv.get<string>(keys.contractByErpId("1"))).value;
        assert.ok(erpContract, "IXC's contract 1 pulled");
        const today = todayInBrazil(app.db.now());
        const due = (await listDue(app.db, today, addDays(today, 60))).items;
        const h = await caseAt(app.db, "contact", {
          due: due.findIndex((d) => d.contractId === erpContract),
        });
        c = await walkTo(h, "closed");
        plan = (await getPlan(app.db, c.choice!.planId))!;
        assert.equal(plan.id, plans[2].id);
      }
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/erp_push.ts"],
        cwd: ROOT,
        env: { ...env, KV_PATH: kvPath, RENOVA_DATA_KEY: TEST_KEY, SEED_DEMO: "false" },
      }).output();
      assert.equal(out.success, true, new TextDecoder().decode(out.stderr));

      const k = s.table("cliente_contrato").get("1")!;
      await t.step("the plan change is on IXC's contract", () => {
        assert.equal(k.id_vd_contrato, "12");
      });
      await t.step("the new renewal and expiry dates and the loyalty term are there", () => {
        assert.equal(k.data_renovacao, c.renewal!.loyaltyStart);
        assert.equal(k.data_expiracao, c.renewal!.loyaltyEnd);
        assert.equal(k.fidelidade, String(plan.loyaltyMonths));
      });
      const [os] = s.rows("su_oss_chamado");
      await t.step("the ticket is opened on the contract with Renova's protocol", () => {
        assert.equal(s.rows("su_oss_chamado").length, 1);
        assert.equal(os.protocolo, c.ticket!.protocol);
        assert.equal(os.id_contrato_kit, "1");
        assert.equal(os.id_cliente, "1");
        assert.equal(os.id_assunto, OS_IDS.IXC_OS_ASSUNTO);
      });
      await t.step("the ticket is closed, once", () => {
        assert.equal(os.status, "F");
        assert.ok(os.data_fechamento);
        assert.equal(s.writesTo(`POST su_oss_chamado_fechar/${os.id}`), 1);
      });
      await t.step(
        "the signed contract PDF is attached to the contract, byte for byte",
        async () => {
          const [file] = s.rows("cliente_arquivos");
          assert.equal(file.id_contrato, "1");
          assert.match(file.descricao, new RegExp(c.ticket!.protocol));
          assert.equal(await sha256Hex(s.files.get(file.id)!), c.signature!.finalSha256);
        },
      );
      await t.step(
        "the invoices are registered with their nosso número, due date and value",
        () => {
          const rows = s.rows("fn_areceber").filter((r) => r.id_contrato === "1");
          assert.equal(rows.length, c.invoices!.length);
          for (const inv of c.invoices!) {
            const r = rows.find((x) => x.documento === inv.nossoNumero)!;
            assert.ok(r, `invoice ${inv.seq}`);
            assert.equal(r.data_vencimento, inv.dueDate);
            assert.equal(r.valor, (inv.amountCents / 100).toFixed(2));
          }
        },
      );
      await t.step("every write is done and IXC got nothing else", async () => {
        await using app = await testApp(env, () => new Date(NOW), kvPath);
        assert.ok((await erpWrites(app.db)).every((w) => w.status === "done"));
        assert.equal((await getCase(app.db, c.id))!.step, "closed");
        assert.deepEqual(
          [...new Set(s.writes.map((w) => w.split("/")[0]))].sort(),
          [
            "POST cliente_arquivos",
            "POST fn_areceber",
            "POST su_oss_chamado",
            "POST su_oss_chamado_fechar",
            "PUT cliente_contrato",
          ],
        );
        assert.equal(s.writesTo("PUT cliente_contrato/1"), 2, "plan, then dates");
      });
    } finally {
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
