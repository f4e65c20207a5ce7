// Issue #19 in the browser: the customer signs on the phone, Renova registers the signature and
// sends the final message by itself, and the new speed goes to the NAS first. A stand-in NAS that
// ACKs ends the renewal with "já está ativo"; one that stays silent ends it with the router
// instructions. Screenshots: artifacts/coa-<mode>.png.
import assert from "node:assert/strict";
import { clickButton, launchBrowser, shot, startServer } from "./browser.ts";
import { caseAt } from "../factories.ts";
import { startNas } from "../network/nas_standin.ts";
import { keys } from "../../services/keys.ts";
import { createNas } from "../../services/network/nas.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getCustomer } from "../../services/customers.ts";
import { SYSTEM } from "../../domain/actor.ts";
import type { Contract } from "../../services/contracts.ts";

const SECRET = "segredo-do-nas-e2e";

Deno.test({
  name: "browser: signing ends with 'já está ativo' when the NAS ACKs, router steps when silent",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    await using ack = await startNas(SECRET, "ack");
    await using silent = await startNas(SECRET, "silent");
    try {
      for (const [mode, nas] of [["ack", ack], ["silent", silent]] as const) {
        const h = await caseAt(server.db, "signature_sent");
        const contract = (await server.db.kv.get<Contract>(keys.contract(h.contractId))).value!;
        await server.db.kv.set(keys.contract(h.contractId), {
          ...contract,
          accessLogin: `pppoe-${mode}`,
        });
        // One NAS per run, serving this customer's city.
        await createNas(server.db, {
          name: `BNG ${mode}`,
          host: "127.0.0.1",
          port: String(nas.port),
          vendor: "mikrotik",
          secret: SECRET,
          cities: contract.city,
        }, SYSTEM);
        const customer = (await getCustomer(server.db, h.customerId))!;
        const ctx = await browser.newContext({
          locale: "pt-BR",
          viewport: { width: 390, height: 844 },
          isMobile: true,
          hasTouch: true,
        });
        const phone = await ctx.newPage();
        phone.on("pageerror", (e) => errors.push(String(e)));
        await phone.goto(`${server.base}/r/${h.token}`);
        await clickButton(phone, "Enviar código");
        const codeMsg = (await readOutbox(server.db, 50)).find((m) =>
          m.template === "sign_code" && m.caseId === h.id
        )!;
        await phone.getByLabel("Código recebido").fill(codeMsg.body.match(/\d{6}/)![0]);
        await phone.getByLabel("Digite seu nome completo").fill(customer.name);
        await phone.getByRole("checkbox").check();
        await clickButton(phone, "Assinar contrato");
        await phone.getByRole("heading", { name: /Tudo pronto/ }).waitFor({ timeout: 30_000 });
        await shot(phone, `coa-${mode}.png`);
        const main = await phone.locator("main").textContent() ?? "";
        const c = (await getCase(server.db, h.id))!;
        assert.equal(c.step, "notified");
        if (mode === "ack") {
          assert.match(main, /Seu novo plano já está ativo/);
          assert.doesNotMatch(main, /Desligue o roteador da tomada/);
          assert.equal(c.network?.outcome, "coa_ack");
        } else {
          assert.match(main, /Desligue o roteador da tomada/);
          assert.equal(c.network?.outcome, "manual");
        }
        assert.equal(nas.valid[0]?.attributes.length > 0, true, "the NAS got the CoA");
        await ctx.close();
        // The next run's NAS serves the city alone.
        for await (const e of server.db.kv.list({ prefix: keys.nasList() })) {
          await server.db.kv.delete(e.key);
        }
      }
      assert.deepEqual(errors, [], "no script errors");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
