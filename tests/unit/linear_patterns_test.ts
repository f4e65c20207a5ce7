// Patterns that ran on people's text were super-linear (issue #14): each replacement is checked
// on the hostile input that used to take seconds or minutes, by the verdict it gives.
import assert from "node:assert/strict";
import { placeholdersIn, validateTemplate } from "../../services/contract/templates.ts";
import { renderText } from "../../services/messaging/templates.ts";
import { isOptOut } from "../../services/messaging/replies.ts";
import { CsvFieldError, openCsv } from "../../services/import/csv.ts";

Deno.test("contract placeholders: blanks inside braces (a minute for 4,000 before) are linear", () => {
  // The old `\{\{\s*([^{}]*?)\s*\}\}` tried every split of these blanks: cubic.
  const body = "Texto {{" + " ".repeat(7_000) + "x";
  assert.throws(
    () => validateTemplate([{ title: "Objeto", body }]),
    (e: Error & { fields?: Record<string, string> }) =>
      /chaves \{\{ \}\} incompletas/.test(e.fields?.body_0 ?? ""),
  );
  assert.deepEqual(placeholdersIn("{{  cliente.nome }} e {{plano.nome}}"), [
    "cliente.nome",
    "plano.nome",
  ]);
});

Deno.test("message placeholders keep their trimmed names", () => {
  assert.equal(renderText("t", "Olá {{ nome }}!", { nome: "Ana" }), "Olá Ana!");
  assert.equal(renderText("t", "{{" + " ".repeat(5_000), {}), "{{" + " ".repeat(5_000));
});

Deno.test("opt-out words: a long run of punctuation is answered without a pattern", () => {
  assert.equal(isOptOut("SAIR!!! "), true);
  assert.equal(isOptOut("parar."), true);
  assert.equal(isOptOut("!".repeat(100_000) + "x"), false);
  assert.equal(isOptOut("sair" + "!".repeat(100_000)), false, "longer than any stop word");
});

Deno.test("CSV: a quote that never closes is refused at its line, not read whole", async () => {
  const text = 'nome;cidade\nAna;Campinas\n"Bia;' + "x".repeat(200_000) + "\n";
  await assert.rejects(
    (async () => {
      const src = await openCsv(ReadableStream.from([new TextEncoder().encode(text)]));
      for await (const _ of src.records) { /* read on */ }
    })(),
    (e) =>
      e instanceof CsvFieldError && e.line === 3 && /^Linha 3: um campo passa de/.test(e.message),
  );
});
