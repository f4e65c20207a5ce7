import assert from "node:assert/strict";
import { BillingError, buildPix, crc16, parsePix } from "../../services/billing/mod.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const SAMPLES = new URL("../fixtures/vectors/br-payment-samples.json", import.meta.url);
const vectors: Json[] = JSON.parse(await Deno.readTextFile(SAMPLES)).vectors;

const BCB_STATIC = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" +
  "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";

function assertBillingError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BillingError, `expected BillingError, got ${e}`);
    assert.match(e.message, message);
    return true;
  });
}

/** TLV helper independent of the module, to craft payloads with a correct CRC. */
function f(id: string, value: string): string {
  return id + String(value.length).padStart(2, "0") + value;
}

function withCrc(body: string): string {
  return body + "6304" + crc16(body + "6304");
}

/** A valid static payload with any field replaced (or dropped when value is null). */
function craft(over: Record<string, string | null>): string {
  const fields: Array<[string, string]> = [
    ["00", "01"],
    ["26", f("00", "br.gov.bcb.pix") + f("01", "renova@example.com")],
    ["52", "0000"],
    ["53", "986"],
    ["54", "99.90"],
    ["58", "BR"],
    ["59", "Renova Telecom"],
    ["60", "Sao Paulo"],
    ["62", f("05", "FAT123")],
  ];
  let body = "";
  for (const [id, value] of fields) {
    const v = id in over ? over[id] : value;
    if (v !== null) body += f(id, v);
  }
  return withCrc(body);
}

Deno.test("shared vectors: CRC16-CCITT-FALSE check value", () => {
  const crcs = vectors.filter((v) => v.kind === "pix_crc");
  assert.ok(crcs.length >= 1);
  for (const v of crcs) assert.equal(crc16(v.input.data), v.expected.crc, v.id);
});

Deno.test("shared vectors: BR Codes parse (or are rejected) as published", () => {
  const codes = vectors.filter((v) => v.kind === "pix_brcode");
  assert.ok(codes.length >= 3);
  for (const v of codes) {
    const e = v.expected;
    assert.equal(crc16(e.payload.slice(0, -4)), e.parsed.crcComputed, v.id);
    if (!e.valid) {
      assertBillingError(() => parsePix(e.payload), /CRC do código PIX não confere/);
      continue;
    }
    const p = parsePix(e.payload);
    assert.equal(p.name, e.parsed.name, v.id);
    assert.equal(p.city, e.parsed.city, v.id);
    assert.equal(p.txid, e.parsed.txid, v.id);
    assert.equal(p.key, e.parsed.key, v.id);
    assert.equal(p.url, e.parsed.url, v.id);
    if (p.key) {
      // Static codes rebuild byte for byte.
      assert.equal(buildPix({ key: p.key, name: p.name, city: p.city }), e.payload, v.id);
    }
  }
});

Deno.test("BCB manual static example parses and rebuilds identically", () => {
  const p = parsePix(BCB_STATIC);
  assert.deepEqual(p, {
    key: "123e4567-e12b-12d1-a456-426655440000",
    name: "Fulano de Tal",
    city: "BRASILIA",
    txid: "***",
  });
  assert.equal(
    buildPix({
      key: "123e4567-e12b-12d1-a456-426655440000",
      name: "Fulano de Tal",
      city: "BRASILIA",
    }),
    BCB_STATIC,
  );
  assert.equal(BCB_STATIC.slice(-4), "1D3D");
});

// thalesog/pix-utils tests/emvCodes.ts @17ebf444 with the inputs of tests/creator.test.ts
// (merchantCity "SÃO MIGUÉL DO O" normalised to "SAO MIGUEL DO O").
const PIX_UTILS_STATIC = "00020126510014br.gov.bcb.pix0115thalesog@me.com0210Pedido 123" +
  "520400005303986540510.005802BR5914Thales Ogliari6015SAO MIGUEL DO O62070503***63044367";
const PIX_UTILS_STATIC_NO_AMOUNT = "00020126510014br.gov.bcb.pix0115thalesog@me.com" +
  "0210Pedido 1235204000053039865802BR5914Thales Ogliari6015SAO MIGUEL DO O62070503***63042C6B";
const PIX_UTILS_DYNAMIC = "00020126740014br.gov.bcb.pix2552payload.psp.com/" +
  "3ec9d2f9-5f03-4e0e-820d-63a81e769e875204000053039865802BR5914Thales Ogliari" +
  "6015SAO MIGUEL DO O62070503***63040C64";

Deno.test("pix-utils vectors: amount, description, accent removal, dynamic URL", () => {
  const base = {
    key: "thalesog@me.com",
    name: "Thales Ogliari",
    city: "SÃO MIGUÉL DO O",
    description: "Pedido 123",
  };
  assert.equal(buildPix({ ...base, amountCents: 1000 }), PIX_UTILS_STATIC);
  assert.equal(buildPix(base), PIX_UTILS_STATIC_NO_AMOUNT);
  assert.deepEqual(parsePix(PIX_UTILS_STATIC), {
    key: "thalesog@me.com",
    name: "Thales Ogliari",
    city: "SAO MIGUEL DO O",
    amountCents: 1000,
    txid: "***",
    description: "Pedido 123",
  });
  assert.deepEqual(parsePix(PIX_UTILS_DYNAMIC), {
    url: "payload.psp.com/3ec9d2f9-5f03-4e0e-820d-63a81e769e87",
    name: "Thales Ogliari",
    city: "SAO MIGUEL DO O",
    txid: "***",
  });
});

Deno.test("build → parse round trip", () => {
  const cases = [
    { key: "11444777000161", name: "Renova Telecom", city: "Ribeirão Preto", amountCents: 12345 },
    {
      key: "+5511999998888",
      name: "Provedor Açaí & Cia",
      city: "Maceió",
      amountCents: 1,
      txid: "FAT2027010000001",
      description: "Mensalidade março",
    },
    { key: "cobranca@renova.net.br", name: "R", city: "X", amountCents: 999_999_999_999 },
    { key: "123e4567-e12b-12d1-a456-426655440000", name: "Fulano", city: "BRASILIA" },
  ];
  for (const input of cases) {
    const payload = buildPix(input);
    assert.match(payload, /^000201.*6304[0-9A-F]{4}$/);
    const p = parsePix(payload);
    assert.equal(p.key, input.key);
    assert.equal(p.amountCents, input.amountCents);
    assert.equal(p.txid, input.txid ?? "***");
    assert.equal(p.name, input.name.normalize("NFKD").replace(/\p{M}/gu, ""));
    assert.equal(p.city, input.city.normalize("NFKD").replace(/\p{M}/gu, ""));
    assert.equal(p.description, input.description?.normalize("NFKD").replace(/\p{M}/gu, ""));
    assert.equal(buildPix({ ...input, ...p, key: p.key! }), payload);
  }
});

Deno.test("buildPix truncates name (25) and city (15), formats the amount", () => {
  const payload = buildPix({
    key: "renova@example.com",
    name: "Renova Telecomunicações e Serviços de Internet Ltda",
    city: "São José dos Campos",
    amountCents: 100050,
  });
  const p = parsePix(payload);
  assert.equal(p.name, "Renova Telecomunicacoes e");
  assert.equal(p.city, "Sao Jose dos Ca");
  assert.ok(payload.includes("54071000.50"));
});

Deno.test("buildPix rejects invalid input", () => {
  const ok = { key: "renova@example.com", name: "Renova", city: "Sao Paulo" };
  assertBillingError(() => buildPix({ ...ok, key: "" }), /chave PIX/);
  assertBillingError(() => buildPix({ ...ok, name: "  " }), /nome do recebedor/);
  assertBillingError(() => buildPix({ ...ok, city: "" }), /cidade/);
  assertBillingError(() => buildPix({ ...ok, txid: "FAT-1" }), /txid/);
  assertBillingError(() => buildPix({ ...ok, txid: "A".repeat(26) }), /txid/);
  assertBillingError(() => buildPix({ ...ok, amountCents: -5 }), /Valor do PIX/);
  assertBillingError(() => buildPix({ ...ok, amountCents: 1.5 }), /Valor do PIX/);
  assertBillingError(() => buildPix({ ...ok, description: "x".repeat(80) }), /99 caracteres/);
  assertBillingError(() => buildPix({ ...ok, name: "Loja 😀" }), /caracteres não permitidos/);
});

Deno.test("parsePix rejects wrong CRC, currency, country, oversized or missing fields", () => {
  // The crafted baseline is valid, so each rejection below is due to the one change.
  assert.equal(parsePix(craft({})).amountCents, 9990);

  const badCrc = BCB_STATIC.slice(0, -4) + "1D3C";
  assertBillingError(() => parsePix(badCrc), /CRC do código PIX não confere/);
  // Changing any data character also breaks the CRC.
  assertBillingError(() => parsePix(BCB_STATIC.replace("Fulano", "Fulana")), /CRC/);
  assertBillingError(() => parsePix(craft({ "53": "840" })), /Moeda 840/);
  assertBillingError(() => parsePix(craft({ "58": "US" })), /País US/);
  assertBillingError(() => parsePix(craft({ "59": "A".repeat(26) })), /59.*excede 25/);
  assert.equal(parsePix(craft({ "59": "A".repeat(25) })).name.length, 25);
  assertBillingError(() => parsePix(craft({ "60": "B".repeat(16) })), /60.*excede 15/);
  assertBillingError(() => parsePix(craft({ "59": null })), /campo obrigatório 59/);
  assertBillingError(() => parsePix(craft({ "60": null })), /campo obrigatório 60/);
  assertBillingError(() => parsePix(craft({ "62": null })), /campo obrigatório 62/);
  assertBillingError(() => parsePix(craft({ "62": f("01", "X") })), /campo obrigatório 05/);
  assertBillingError(() => parsePix(craft({ "53": null })), /campo obrigatório 53/);
  assertBillingError(() => parsePix(craft({ "26": null })), /br\.gov\.bcb\.pix/);
  assertBillingError(
    () => parsePix(craft({ "26": f("00", "br.gov.bcb.pix") })),
    /sem chave/,
  );
  assertBillingError(() => parsePix(craft({ "54": "9,90" })), /Valor do PIX inválido/);
  assertBillingError(() => parsePix(craft({ "00": "02" })), /000201/);
});

Deno.test("parsePix rejects malformed TLV", () => {
  // Length 99 for field 59 runs past the end.
  assertBillingError(
    () => parsePix(withCrc("000201" + "5999Fulano")),
    /malformado/,
  );
  // Non-numeric length.
  assertBillingError(() => parsePix("0002015aXX6304ABCD"), /malformado/);
  // Merchant account whose inner TLV is broken (CRC recomputed so only the TLV is wrong).
  assertBillingError(
    () => parsePix(craft({ "26": "0014br.gov.bcb.pix01" })),
    /malformado/,
  );
  // Trailing garbage after the CRC field.
  assertBillingError(() => parsePix(BCB_STATIC + "00"), /malformado|CRC/);
  assertBillingError(() => parsePix(BCB_STATIC.slice(0, -8)), /CRC|malformado/);
  assertBillingError(() => parsePix(""), /Informe/);
});
