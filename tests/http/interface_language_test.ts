// The interface is pt-BR throughout (Brazilian providers and customers): the half-used English
// catalogue is gone, so no setting can turn a few pages to English inside a pt-BR document.
import assert from "node:assert/strict";
import { testApp } from "../helpers.ts";

Deno.test("the sign-in page is pt-BR even when the environment asks for another LOCALE", async () => {
  const t = await testApp({ LOCALE: "en" });
  try {
    const html = await (await t.app.request("/login")).text();
    assert.match(html, /<html lang="pt-BR"/);
    assert.match(html, />Entrar</);
    assert.match(html, />Usuário</);
    assert.doesNotMatch(html, />(Sign in|Username|Password)</);
  } finally {
    t.close();
  }
});
