// Pix Automático BR Codes (QR Code composto: template 80 with the recurrence location).
// Checked against the Banco Central's published examples and by an independent TLV/CRC reader
// written here from the manual, so a bug shared by buildPix and parsePix cannot hide.
import assert from "node:assert/strict";
import { BillingError, buildPix, parsePix } from "../../services/billing/mod.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const FILE = new URL("../fixtures/vectors/pix-automatico.json", import.meta.url);
const vectors: Json[] = JSON.parse(await Deno.readTextFile(FILE)).vectors;

/** CRC-16/CCITT-FALSE, table-driven (the module computes it bit by bit). */
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n << 8;
  for (let i = 0; i < 8; i++) c = (c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1) & 0xffff;
  return c;
});
function crcOf(s: string): string {
  let c = 0xffff;
  for (const b of new TextEncoder().encode(s)) {
    c = ((c << 8) ^ TABLE[((c >> 8) ^ b) & 0xff]) & 0xffff;
  }
  return c.toString(16).toUpperCase().padStart(4, "0");
}

/** Reads one TLV level into [id, value] pairs; throws on any length overrun. */
function tlv(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < s.length;) {
    const id = s.substring(i, i + 2);
    const len = parseInt(s.substring(i + 2, i + 4), 10);
    if (!/^\d\d$/.test(id) || Number.isNaN(len) || i + 4 + len > s.length) {
      throw new Error(`bad TLV at ${i}`);
    }
    out.push([id, s.substring(i + 4, i + 4 + len)]);
    i += 4 + len;
  }
  return out;
}

/** Structure of a composite code per the manual: the checks a payer's bank would make. */
function checkComposite(payload: string): Record<string, string> {
  const top = tlv(payload);
  const ids = top.map(([id]) => id);
  assert.equal(ids[0], "00");
  assert.equal(ids.at(-1), "63", "CRC is the last field");
  assert.equal(top.at(-1)![1], crcOf(payload.slice(0, -4)), "CRC over everything up to 6304");
  const body = ids.slice(0, -1);
  assert.deepEqual([...body].sort(), body, "fields in ascending ID order, then the CRC");
  const m = Object.fromEntries(top);
  const mai = Object.fromEntries(tlv(m["26"]));
  assert.equal(mai["00"], "br.gov.bcb.pix");
  const rec = Object.fromEntries(tlv(m["80"]));
  assert.equal(rec["00"], "br.gov.bcb.pix");
  assert.ok(rec["25"] && !rec["25"].startsWith("http"), "recurrence URL without scheme");
  assert.equal(Object.fromEntries(tlv(m["62"]))["05"] !== undefined, true);
  return { ...m, key: mai["01"] ?? "", url: mai["25"] ?? "", rec: rec["25"] };
}

function assertBillingError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BillingError, `expected BillingError, got ${e}`);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("public Pix Automático vectors: CRC and TLV structure hold (independent reader)", () => {
  assert.equal(vectors.length, 4);
  for (const v of vectors) {
    const m = checkComposite(v.payload);
    assert.equal(m["63"], v.expected.crc, v.id);
    assert.equal(m.rec, v.expected.recurrenceUrl, v.id);
  }
});

Deno.test("parsePix accepts the public Pix Automático vectors (GUI-only field 26 + field 80)", () => {
  for (const v of vectors) {
    const { crc: _crc, ...expected } = v.expected;
    assert.deepEqual(parsePix(v.payload), expected, v.id);
  }
});

Deno.test("buildPix rebuilds the BCB manual composite examples byte for byte", () => {
  const base = { name: "Fulano de Tal", city: "BRASILIA" };
  const rec = "pix.example.com/rec/2353c790eefb11eaadc10242ac120002";
  const [j2, withKey, withCob] = vectors;
  assert.equal(buildPix({ ...base, recurrenceUrl: rec }), j2.payload);
  assert.equal(
    buildPix({
      ...base,
      key: "123e4567-e12b-12d1-a456-426655440000",
      amountCents: 10050,
      recurrenceUrl: rec,
    }),
    withKey.payload,
  );
  assert.equal(
    buildPix({
      ...base,
      url: "pix.example.com/8b3da2f39a4140d1a91abd93113bd441",
      recurrenceUrl: rec,
    }),
    withCob.payload,
  );
});

Deno.test("journey 3 code (charge now + recurrence) passes the independent reader", () => {
  const payload = buildPix({
    name: "Renova Telecom",
    city: "Campinas",
    url: "https://psp.example.com/cob/9f2c1e0a7b3d4c5e8f6a1b2c3d4e5f60",
    recurrenceUrl: "psp.example.com/rec/RR1234567820270101abcdefghijk",
  });
  const m = checkComposite(payload);
  assert.equal(m["01"], "12", "dynamic charge: point of initiation 12");
  assert.equal(m.url, "psp.example.com/cob/9f2c1e0a7b3d4c5e8f6a1b2c3d4e5f60");
  assert.equal(m.rec, "psp.example.com/rec/RR1234567820270101abcdefghijk");
  assert.equal(m.key, "");
});

Deno.test("buildPix refuses bad recurrence input with a pt-BR message", () => {
  const base = { name: "Renova", city: "Campinas" };
  assertBillingError(() => buildPix(base), /Informe a chave PIX/);
  assertBillingError(
    () => buildPix({ ...base, recurrenceUrl: "http://psp.example.com/rec/1" }),
    /URL da recorrência inválida/,
  );
  assertBillingError(
    () => buildPix({ ...base, recurrenceUrl: "psp.example.com" }),
    /URL da recorrência inválida/,
  );
  assertBillingError(
    () => buildPix({ ...base, recurrenceUrl: "psp.example.com/" + "a".repeat(70) }),
    /excede 77/,
  );
  assertBillingError(
    () => buildPix({ ...base, key: "a@b.com", url: "psp.example.com/cob/1" }),
    /não as duas/,
  );
});

Deno.test("parsePix refuses a field 80 with the BCB GUI but no recurrence URL", () => {
  const f = (id: string, v: string) => id + String(v.length).padStart(2, "0") + v;
  const body = f("00", "01") + f("26", f("00", "br.gov.bcb.pix")) + f("52", "0000") +
    f("53", "986") + f("58", "BR") + f("59", "Fulano") + f("60", "BRASILIA") +
    f("62", f("05", "***")) + f("80", f("00", "br.gov.bcb.pix")) + "6304";
  assertBillingError(() => parsePix(body + crcOf(body)), /sem a URL da recorrência/);
});
