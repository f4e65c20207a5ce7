// The streaming CSV reader: encodings, delimiters, quoting, and records that straddle chunks.
import assert from "node:assert/strict";
import { openCsv, sniffDelimiter } from "../../services/import/csv.ts";
import { parseDate } from "../../services/import/validate.ts";

/** The bytes as a stream of `size`-byte chunks (1 = every boundary is tested). */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return ReadableStream.from(parts);
}

async function readAll(bytes: Uint8Array, size: number) {
  const src = await openCsv(chunked(bytes, size));
  const rows: { line: number; fields: string[] }[] = [];
  for await (const chunk of src.records) rows.push(...chunk);
  return { ...src, rows };
}

const text =
  '\uFEFFnome,obs,cidade\r\n"Silva, Ana","disse ""oi""\r\nduas linhas",Campinas\r\n\r\n' +
  "José,,São Paulo\nsem,fim";

Deno.test("quotes, doubled quotes, line breaks in fields, CRLF, blank lines, BOM", async () => {
  for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
    const out = await readAll(new TextEncoder().encode(text), size);
    assert.equal(out.encoding, "utf-8");
    assert.equal(out.delimiter, ",");
    assert.deepEqual(out.headers, ["nome", "obs", "cidade"], `chunk ${size}`);
    assert.deepEqual(out.rows, [
      { line: 2, fields: ["Silva, Ana", 'disse "oi"\r\nduas linhas', "Campinas"] },
      { line: 5, fields: ["José", "", "São Paulo"] },
      { line: 6, fields: ["sem", "fim"] },
    ], `chunk ${size}`);
  }
});

Deno.test("Latin-1 bytes are detected and decoded; ';' is detected", async () => {
  const latin1 = Uint8Array.from("nome;cidade\nJoão;Feira\n", (c) => c.charCodeAt(0));
  for (const size of [1, 5, 4096]) {
    const out = await readAll(latin1, size);
    assert.equal(out.encoding, "latin1");
    assert.equal(out.delimiter, ";");
    assert.deepEqual(out.rows[0].fields, ["João", "Feira"]);
  }
  // A UTF-8 character cut in half by a chunk boundary is still UTF-8.
  const out = await readAll(new TextEncoder().encode("a;b\nçã;é\n"), 5);
  assert.equal(out.encoding, "utf-8");
  assert.deepEqual(out.rows[0].fields, ["çã", "é"]);
});

Deno.test("delimiter and date sniffing", () => {
  assert.equal(sniffDelimiter('a;"b;c";d'), ";");
  assert.equal(sniffDelimiter('a,"b,c,d";e;f'), ";");
  assert.equal(sniffDelimiter("a\tb\tc"), "\t");
  assert.equal(sniffDelimiter("sozinho"), ",");
  assert.equal(parseDate("2027-03-10"), "2027-03-10");
  assert.equal(parseDate("2027-03-10 08:00:00"), "2027-03-10");
  assert.equal(parseDate("10/03/2027"), "2027-03-10");
  assert.equal(parseDate("0000-00-00"), null);
  assert.equal(parseDate(""), null);
  assert.equal(parseDate("2027-02-30"), undefined);
  assert.equal(parseDate("31/13/2027"), undefined);
});
