// CSV encodings decided over the whole file: a windows-1252 file whose first accent comes late
// (past any sample) imports; a file that switches encodings is refused with the line number.
import { staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { CsvEncodingError, openCsv } from "../../services/import/csv.ts";
import { createJob } from "../../services/import/jobs.ts";
import { ValidationError } from "../../services/errors.ts";
import { testDb } from "../helpers.ts";

const ADMIN = staffActor({ id: "test-admin", name: "Admin de teste", role: "admin" });
const HEADER = "nome;cidade\n";
const FILLER_ROWS = 25_000; // "Ana Lima;Campinas\n" × 25k ≈ 450 KB of plain ASCII

/** windows-1252 bytes (every character here is below U+0100, so one byte each). */
const cp1252 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function lateAccentFile(): Uint8Array {
  const text = HEADER + "Ana Lima;Campinas\n".repeat(FILLER_ROWS) + "João Conceição;Feira\n";
  return cp1252(text);
}

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return ReadableStream.from(parts);
}

async function readAll(bytes: Uint8Array, size = 63_000) {
  const src = await openCsv(chunked(bytes, size));
  const rows: { line: number; fields: string[] }[] = [];
  for await (const chunk of src.records) rows.push(...chunk);
  return { encoding: src.encoding, rows };
}

Deno.test("windows-1252 with its first accent after 256 KB is read as Latin-1", async () => {
  const bytes = lateAccentFile();
  assert.ok(bytes.length > 256 * 1024 && bytes.indexOf(0xe3) > 256 * 1024);
  const out = await readAll(bytes);
  assert.equal(out.encoding, "latin1");
  assert.equal(out.rows.length, FILLER_ROWS + 1);
  assert.deepEqual(out.rows.at(-1), { line: FILLER_ROWS + 2, fields: ["João Conceição", "Feira"] });
});

Deno.test("upload of a windows-1252 file with a late accent makes a Latin-1 job", async () => {
  await using db = await testDb();
  const job = await createJob(
    db,
    { name: "late.csv", stream: chunked(lateAccentFile(), 63_000) },
    ADMIN,
  );
  assert.equal(job.encoding, "latin1");
  assert.equal(job.rows, FILLER_ROWS + 1);
});

Deno.test("a file that is UTF-8 first and windows-1252 later is refused with the line", async () => {
  const head = new TextEncoder().encode(HEADER + "José;Campinas\n" + "Ana;Bauru\n".repeat(30_000));
  const tail = cp1252("Conceição;Feira\n");
  const bytes = new Uint8Array(head.length + tail.length);
  bytes.set(head);
  bytes.set(tail, head.length);
  const badLine = 30_000 + 3;
  await assert.rejects(readAll(bytes), (e) => {
    assert.ok(e instanceof CsvEncodingError && e instanceof ValidationError);
    assert.equal(e.line, badLine);
    assert.match(e.message, new RegExp(`^Linha ${badLine}: o arquivo mistura codificações`));
    return true;
  });
  await using db = await testDb();
  await assert.rejects(
    createJob(db, { name: "mixed.csv", stream: chunked(bytes, 4096) }, ADMIN),
    (e) => e instanceof ValidationError && e.message.startsWith(`Linha ${badLine}:`),
  );
});

Deno.test("a first accent split across chunks is still judged on whole characters", async () => {
  const bytes = new TextEncoder().encode("a;b\nçã;é\n");
  for (const size of [1, 2, 3, 5]) {
    const out = await readAll(bytes, size);
    assert.equal(out.encoding, "utf-8", `chunk ${size}`);
    assert.deepEqual(out.rows[0].fields, ["çã", "é"]);
  }
  const latin = cp1252("a;b\nçã;é\n");
  for (const size of [1, 2, 3, 5]) {
    const out = await readAll(latin, size);
    assert.equal(out.encoding, "latin1", `chunk ${size}`);
    assert.deepEqual(out.rows[0].fields, ["çã", "é"]);
  }
});
