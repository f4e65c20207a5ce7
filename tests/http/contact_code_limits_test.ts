// Contact-code limits under load (#14 follow-up): a parallel burst of wrong codes compares at
// most the case's guesses and never answers 500; a repeated contacts form costs one charge.
import assert from "node:assert/strict";
import { readOutbox } from "../../services/messaging/mod.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getCustomer } from "../../services/customers.ts";
import { CODE_GUESSES } from "../../services/renewals/code_limits.ts";
import { caseWithLink, customerPost, setup, toHolderVerified } from "./renewal_fixtures.ts";

/** A case at "holder verified" and the customer's phones as the form shows them. */
async function holderVerified(t: Awaited<ReturnType<typeof setup>>) {
  const { caseId, token } = await caseWithLink(t);
  await toHolderVerified(t, caseId, token);
  const who = (await getCustomer(t.db, (await getCase(t.db, caseId))!.customerId))!;
  return { caseId, token, phones: who.phones.map((p) => p.slice(2)) };
}

const codesTo = async (t: Awaited<ReturnType<typeof setup>>, to: string) =>
  (await readOutbox(t.db, 200)).filter((m) => m.template === "contact_code" && m.to === to);

Deno.test("contact codes: 40 parallel wrong codes get at most 5 compared, the rest refused as used up, no 500", async () => {
  const t = await setup();
  try {
    const c = await holderVerified(t);
    const target = "rajada@exemplo.com";
    const fd = new FormData();
    for (const p of c.phones) fd.append("phone", p);
    fd.set("email", target);
    assert.equal((await customerPost(t, c.token, "submit_contacts", fd)).status, 303);
    const code = (await codesTo(t, target))[0].body.match(/\d{6}/)![0];
    const wrong = code === "000000" ? "111111" : "000000";
    const answers = await Promise.all(Array.from({ length: 40 }, async () => {
      const r = await customerPost(t, c.token, "confirm_data", { code_0: wrong });
      return { status: r.status, text: await r.text() };
    }));
    assert.equal(answers.filter((a) => a.status >= 500).length, 0, "no 500");
    // Every answer but "used up" passed the guess gate, i.e. had its code compared.
    const compared = answers.filter((a) => !/Tentativas esgotadas/.test(a.text)).length;
    assert.ok(compared <= CODE_GUESSES.max, `${compared} codes compared`);
    const late = await customerPost(t, c.token, "confirm_data", { code_0: code });
    assert.match(await late.text(), /Tentativas esgotadas/, "the right code comes too late");
  } finally {
    t.close();
  }
});

Deno.test("contact codes: the same contacts form sent 3 times is charged once, so real corrections still go out", async () => {
  const t = await setup();
  try {
    const c = await holderVerified(t);
    const send = (email: string, sub: string) => {
      const fd = new FormData();
      for (const p of c.phones) fd.append("phone", p);
      fd.set("email", email);
      fd.set("_sub", sub);
      return customerPost(t, c.token, "submit_contacts", fd);
    };
    for (let i = 0; i < 3; i++) {
      const r = await send("repetido@exemplo.com", "submissao-repetida-0001");
      assert.equal(r.status, 303);
      await r.body?.cancel();
    }
    assert.equal((await codesTo(t, "repetido@exemplo.com")).length, 1, "one code sent");
    // The case may send 3 batches an hour: the repeats used one, two real corrections remain.
    for (const [i, email] of ["correcao1@exemplo.com", "correcao2@exemplo.com"].entries()) {
      const r = await send(email, `submissao-nova-000${i}`);
      assert.equal(r.status, 303, `correction ${i + 1} accepted`);
      await r.body?.cancel();
      assert.equal((await codesTo(t, email)).length, 1);
    }
  } finally {
    t.close();
  }
});
