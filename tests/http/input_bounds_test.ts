// Text is length-bounded before any pattern runs on it: a megabyte (or 90,000-character) e-mail
// posted to the customer's contacts form is refused by its length, in pt-BR, changing nothing;
// the e-mail check itself is linear and keeps the old pattern's verdicts.
import assert from "node:assert/strict";
import { caseWithLink, customerPost, setup, toHolderVerified } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { emailProblem, isEmailShape } from "../../services/customers.ts";

/** The shape that made the old pattern quadratic: a domain of many dots and a bad last char. */
const hostile = (n: number) => "a@" + "a.".repeat(Math.floor(n / 2)) + "@";

for (
  const [label, email] of [
    ["1 MB", "x".repeat(1_000_000) + "@exemplo.com.br"],
    ["90,000-character", hostile(90_000)],
  ] as const
) {
  Deno.test(`a ${label} e-mail on /r/<token>/contacts is refused by its length`, async () => {
    await using t = await setup();
    const { caseId, token } = await caseWithLink(t);
    await toHolderVerified(t, caseId, token);
    const before = (await getCase(t.db, caseId))!;
    const res = await customerPost(t, token, "submit_contacts", {
      phone: "(19) 99876-5432",
      email,
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /Campo longo demais: no máximo 20\.000 caracteres\./);
    assert.ok(!html.includes(email.slice(0, 5000)), "the text is not echoed back");
    const after = (await getCase(t.db, caseId))!;
    assert.equal(after.rev, before.rev, "nothing changed");
    assert.equal(after.step, "holder_verified");
  });
}

Deno.test("an e-mail over 254 characters is refused with the e-mail's length message", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  await toHolderVerified(t, caseId, token);
  const res = await customerPost(t, token, "submit_contacts", {
    phone: "(19) 99876-5432",
    email: "a".repeat(250) + "@exemplo.com.br",
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /E-mail longo demais: no máximo 254 caracteres\./);
});

Deno.test("the e-mail validator refuses a long e-mail by its length, before the shape", () => {
  const tooLong = "E-mail longo demais: no máximo 254 caracteres.";
  assert.equal(emailProblem(hostile(90_000)), tooLong);
  assert.equal(emailProblem("x".repeat(1_000_000) + "@exemplo.com.br"), tooLong);
  assert.equal(emailProblem("  Nome@Exemplo.com.br  "), null);
  assert.equal(emailProblem("nome@exemplo"), "E-mail inválido.");
});

Deno.test("the e-mail shape check answers on 50,000-character hostile inputs", () => {
  // Inputs that cost the old pattern seconds each; the verdicts are what matters here.
  assert.equal(isEmailShape(hostile(50_000)), false);
  assert.equal(isEmailShape("a@" + "a.".repeat(25_000) + " "), false);
  assert.equal(isEmailShape("a@" + "a".repeat(50_000)), false);
  assert.equal(isEmailShape("a@" + "a.".repeat(25_000) + "br"), true);
});

Deno.test("the e-mail shape check gives the old pattern's verdicts", () => {
  const OLD = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
  const alphabet = ["a", "b", ".", "@", " ", "\t", "ç"];
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 20_000; i++) {
    let s = "";
    for (let n = rand(12); n > 0; n--) s += alphabet[rand(alphabet.length)];
    assert.equal(isEmailShape(s), OLD.test(s), JSON.stringify(s));
  }
});
