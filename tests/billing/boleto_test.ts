// Over 400 lines on purpose: public Febraban vectors for each bank, one short test each.
import assert from "node:assert/strict";
import {
  barcodeCheckDigit,
  BillingError,
  type BoletoInput,
  buildBoleto,
  dueDateFactor,
  factorToDate,
  mod10,
  parseBoleto,
} from "../../services/billing/mod.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const SAMPLES = new URL("../fixtures/vectors/br-payment-samples.json", import.meta.url);
const vectors: Json[] = JSON.parse(await Deno.readTextFile(SAMPLES)).vectors;

/** "2246.74" → 224674 without floating point. */
function cents(value: string): number {
  const [r, c = ""] = value.split(".");
  return Number(r) * 100 + Number(c.padEnd(2, "0"));
}

function assertBillingError(fn: () => unknown, message: RegExp, field?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BillingError, `expected BillingError, got ${e}`);
    assert.match(e.message, message);
    if (field) assert.equal(e.field, field);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Public vectors copied into tests/fixtures/vectors/ (sources inside the file).
// ---------------------------------------------------------------------------------------------

Deno.test("shared vectors: boleto_cobranca build, parse and linha", () => {
  const boletos = vectors.filter((v) => v.kind === "boleto_cobranca");
  assert.ok(boletos.length >= 5, "shared file should hold the boleto vectors");
  for (const v of boletos) {
    const i = v.input;
    if (i.dueDate) {
      const input: BoletoInput = {
        bank: v.bank,
        dueDate: i.dueDate,
        amountCents: cents(i.value),
        agencia: i.agencia,
        conta: i.conta,
        carteira: i.carteira,
        convenio: i.convenio,
        // Caixa SIGCB takes the 17-digit nosso número.
        nossoNumero: i.nossoNumero17 ?? i.nossoNumero,
        beneficiario: i.beneficiario,
      };
      const got = buildBoleto(input);
      if (v.expected.campoLivre) assert.equal(got.campoLivre, v.expected.campoLivre, v.id);
      assert.equal(got.campoLivre, v.expected.barcode.slice(19), v.id);
      assert.equal(got.barcode, v.expected.barcode, v.id);
      assert.equal(got.linha, v.expected.linha, v.id);
      const parsed = parseBoleto(v.expected.linha, { today: i.dueDate });
      assert.deepEqual(parsed, {
        bank: v.bank,
        dueDate: i.dueDate,
        amountCents: cents(i.value),
        barcode: v.expected.barcode,
        linha: v.expected.linha,
      }, v.id);
      assert.deepEqual(parseBoleto(v.expected.barcode, { today: i.dueDate }), parsed, v.id);
    } else {
      // Linha-only vector (brazilian-utils): factor 7586 = 2018-07-15 in the first cycle.
      assert.equal(v.expected.valid, true);
      const parsed = parseBoleto(v.expected.linha, { today: "2018-07-01" });
      assert.equal(parsed.bank, v.bank);
      assert.equal(parsed.dueDate, "2018-07-15");
      assert.equal(parsed.amountCents, 102656);
      assert.equal(parsed.linha.replace(/\D/g, ""), v.expected.linha);
      // Seen from 2026-11-28 the 2018 date is more than 3000 days old and the next cycle
      // (2043) is beyond +5500 days, so the factor cannot be read.
      assertBillingError(
        () => parseBoleto(v.expected.linha, { today: "2026-11-28" }),
        /fora da janela/,
      );
    }
  }
});

Deno.test("shared vectors: due-date factor", () => {
  const fatores = vectors.filter((v) => v.kind === "boleto_fator_vencimento");
  assert.ok(fatores.length >= 2);
  for (const v of fatores) {
    assert.equal(dueDateFactor(v.input.dueDate), v.expected.fator, v.id);
    assert.equal(factorToDate(v.expected.fator, v.input.dueDate), v.input.dueDate, v.id);
  }
});

// ---------------------------------------------------------------------------------------------
// More published vectors, each copied from the cited spec file.
// ---------------------------------------------------------------------------------------------

interface Vector {
  src: string;
  input: BoletoInput;
  campoLivre?: string;
  barcode?: string;
  linha?: string;
}

const BRC = "kivanio/brcobranca";
const BB_SPEC = `${BRC} spec/brcobranca/boleto/banco_brasil_spec.rb @057d8a28`;
const ITAU_SPEC = `${BRC} spec/brcobranca/boleto/itau_spec.rb @0a8d37aa`;
const BRAD_SPEC = `${BRC} spec/brcobranca/boleto/bradesco_spec.rb @0a8d37aa`;
const CAIXA_SPEC = `${BRC} spec/brcobranca/boleto/caixa_spec.rb @0a8d37aa`;
const TS = "tomas-stefano/boleto_bancario";
const TS_BB = `${TS} spec/boleto_bancario/core/banco_brasil_spec.rb @15155d0b`;
const TS_ITAU = `${TS} spec/boleto_bancario/core/itau_spec.rb @183fc597`;
const TS_BRAD = `${TS} spec/boleto_bancario/core/bradesco_spec.rb @2f22ee37`;

const EXTRA: Vector[] = [
  // Banco do Brasil, convênio 8 + sequence 9 (brcobranca default carteira 18).
  {
    src: BB_SPEC,
    input: {
      bank: "001",
      dueDate: "2008-02-01",
      amountCents: 13500,
      agencia: "4042",
      conta: "61900",
      convenio: "12387989",
      nossoNumero: "777700168",
      carteira: "18",
    },
    campoLivre: "0000001238798977770016818",
    barcode: "00193376900000135000000001238798977770016818",
    linha: "00190.00009 01238.798977 77700.168188 3 37690000013500",
  },
  {
    src: BB_SPEC,
    input: {
      bank: "001",
      dueDate: "2008-02-02",
      amountCents: 13500,
      convenio: "12387989",
      nossoNumero: "7700168",
      carteira: "18",
    },
    campoLivre: "0000001238798900770016818",
    barcode: "00193377000000135000000001238798900770016818",
    linha: "00190.00009 01238.798902 07700.168185 3 37700000013500",
  },
  // Convênio 7 + sequence 10.
  {
    src: BB_SPEC,
    input: {
      bank: "001",
      dueDate: "2008-02-03",
      amountCents: 72356,
      convenio: "1238798",
      nossoNumero: "7777700168",
      carteira: "18",
    },
    campoLivre: "0000001238798777770016818",
    barcode: "00195377100000723560000001238798777770016818",
    linha: "00190.00009 01238.798779 77700.168188 5 37710000072356",
  },
  // Convênio 6 + sequence 5.
  {
    src: BB_SPEC,
    input: {
      bank: "001",
      dueDate: "2008-02-01",
      amountCents: 13500,
      agencia: "4042",
      conta: "61900",
      convenio: "123879",
      nossoNumero: "1234",
      carteira: "18",
    },
    campoLivre: "1238790123440420006190018",
    barcode: "00192376900000135001238790123440420006190018",
    linha: "00191.23876 90123.440423 00061.900189 2 37690000013500",
  },
  // Convênio 6 + free 17-digit nosso número, carteira 16 (service code 21).
  {
    src: BB_SPEC,
    input: {
      bank: "001",
      dueDate: "2008-02-01",
      amountCents: 13500,
      convenio: "123879",
      nossoNumero: "00000001234567899",
      carteira: "16",
    },
    campoLivre: "1238790000000123456789921",
    barcode: "00199376900000135001238790000000123456789921",
    linha: "00191.23876 90000.000126 34567.899215 9 37690000013500",
  },
  // Convênio 4 + sequence 7.
  {
    src: BB_SPEC,
    input: {
      bank: "001",
      dueDate: "2008-02-01",
      amountCents: 13500,
      agencia: "4042",
      conta: "61900",
      convenio: "1238",
      nossoNumero: "123456",
      carteira: "18",
    },
    campoLivre: "1238012345640420006190018",
    barcode: "00191376900000135001238012345640420006190018",
    linha: "00191.23801 12345.640424 00061.900189 1 37690000013500",
  },
  {
    src: TS_BB,
    input: {
      bank: "001",
      dueDate: "2012-12-28",
      amountCents: 295295,
      agencia: "7123",
      conta: "19345",
      convenio: "4321",
      nossoNumero: "90801",
      carteira: "18",
    },
    barcode: "00193556100002952954321009080171230001934518",
    linha: "00194.32103 09080.171235 00019.345180 3 55610000295295",
  },
  {
    src: TS_BB,
    input: {
      bank: "001",
      dueDate: "2012-12-28",
      amountCents: 1400199,
      agencia: "5030",
      conta: "14204195",
      convenio: "555444",
      nossoNumero: "12901",
      carteira: "18",
    },
    barcode: "00197556100014001995554441290150301420419518",
    linha: "00195.55440 41290.150303 14204.195185 7 55610001400199",
  },
  {
    src: TS_BB,
    input: {
      bank: "001",
      dueDate: "2012-12-28",
      amountCents: 1400199,
      convenio: "555444",
      nossoNumero: "12345678911234567",
      carteira: "18",
    },
    barcode: "00194556100014001995554441234567891123456721",
    linha: "00195.55440 41234.567893 11234.567219 4 55610001400199",
  },
  {
    src: TS_BB,
    input: {
      bank: "001",
      dueDate: "2012-12-28",
      amountCents: 295295,
      convenio: "7777777",
      nossoNumero: "87654",
      carteira: "18",
    },
    barcode: "00197556100002952950000007777777000008765418",
    linha: "00190.00009 07777.777009 00087.654182 7 55610000295295",
  },
  {
    src: TS_BB,
    input: {
      bank: "001",
      dueDate: "2012-12-28",
      amountCents: 295295,
      convenio: "77777778",
      nossoNumero: "87654",
      carteira: "18",
    },
    barcode: "00191556100002952950000007777777800008765418",
    linha: "00190.00009 07777.777801 00087.654182 1 55610000295295",
  },
  // Itaú, standard carteiras.
  {
    src: ITAU_SPEC,
    input: {
      bank: "341",
      dueDate: "2009-08-14",
      amountCents: 0,
      agencia: "0810",
      conta: "53678",
      nossoNumero: "12345678",
      carteira: "175",
    },
    campoLivre: "1751234567840810536789000",
    barcode: "34191432900000000001751234567840810536789000",
    linha: "34191.75124 34567.840813 05367.890000 1 43290000000000",
  },
  // Due date after the 2025-02-22 factor reset (factor 2548).
  {
    src: ITAU_SPEC,
    input: {
      bank: "341",
      dueDate: "2029-05-20",
      amountCents: 675787,
      agencia: "1248",
      conta: "02124",
      nossoNumero: "00010152",
      carteira: "109",
    },
    campoLivre: "1090001015271248021246000",
    barcode: "34194254800006757871090001015271248021246000",
    linha: "34191.09008 01015.271248 80212.460002 4 25480000675787",
  },
  {
    src: TS_ITAU,
    input: {
      bank: "341",
      dueDate: "2012-12-21",
      amountCents: 295295,
      agencia: "1565",
      conta: "13877",
      nossoNumero: "12345678",
      carteira: "175",
    },
    linha: "34191.75124 34567.861561 51387.710000 1 55540000295295",
  },
  {
    src: TS_ITAU,
    input: {
      bank: "341",
      dueDate: null,
      amountCents: 0,
      agencia: "0057",
      conta: "12345",
      nossoNumero: "12345678",
      carteira: "109",
    },
    campoLivre: "1091234567800057123457000",
  },
  // Itaú special carteiras (seu número + código do cliente).
  {
    src: ITAU_SPEC,
    input: {
      bank: "341",
      dueDate: "2004-09-05",
      amountCents: 13500,
      nossoNumero: "258281",
      carteira: "196",
      codigoCliente: "12345",
      seuNumero: "1234567",
    },
    campoLivre: "1960025828112345671234550",
    barcode: "34191252500000135001960025828112345671234550",
    linha: "34191.96005 25828.112349 56712.345505 1 25250000013500",
  },
  {
    src: ITAU_SPEC,
    input: {
      bank: "341",
      dueDate: "2004-09-05",
      amountCents: 13500,
      nossoNumero: "258281",
      carteira: "196",
      codigoCliente: "12345",
      seuNumero: "123456",
    },
    campoLivre: "1960025828101234561234550",
    barcode: "34192252500000135001960025828101234561234550",
    linha: "34191.96005 25828.101235 45612.345509 2 25250000013500",
  },
  {
    src: ITAU_SPEC,
    input: {
      bank: "341",
      dueDate: "2004-09-05",
      amountCents: 13500,
      nossoNumero: "258281",
      carteira: "196",
      codigoCliente: "1234",
      seuNumero: "123456",
    },
    campoLivre: "1960025828101234560123440",
    barcode: "34192252500000135001960025828101234560123440",
    linha: "34191.96005 25828.101235 45601.234409 2 25250000013500",
  },
  ...([
    ["107", "1071234567811089549478620"],
    ["122", "1221234567811089549478610"],
    ["142", "1421234567811089549478690"],
    ["143", "1431234567811089549478670"],
    ["196", "1961234567811089549478650"],
    ["198", "1981234567811089549478610"],
  ] as const).map(([carteira, campoLivre]): Vector => ({
    src: TS_ITAU,
    input: {
      bank: "341",
      dueDate: null,
      amountCents: 0,
      nossoNumero: "12345678",
      carteira,
      seuNumero: "1108954",
      codigoCliente: "94786",
    },
    campoLivre,
  })),
  // Bradesco.
  {
    src: BRAD_SPEC,
    input: {
      bank: "237",
      dueDate: "2008-02-02",
      amountCents: 13500,
      agencia: "4042",
      conta: "61900",
      nossoNumero: "777700168",
      carteira: "03",
    },
    campoLivre: "4042030077770016800619000",
    barcode: "23791377000000135004042030077770016800619000",
    linha: "23794.04201 30077.770011 68006.190000 1 37700000013500",
  },
  {
    src: TS_BRAD,
    input: {
      bank: "237",
      dueDate: "2012-12-28",
      amountCents: 295295,
      agencia: "1172",
      conta: "403005",
      nossoNumero: "75896452",
      carteira: "06",
    },
    barcode: "23796556100002952951172060007589645204030050",
    linha: "23791.17209 60007.589645 52040.300502 6 55610000295295",
  },
  {
    src: TS_BRAD,
    input: {
      bank: "237",
      dueDate: "2012-12-28",
      amountCents: 295978,
      agencia: "1172",
      conta: "403005",
      nossoNumero: "175896451",
      carteira: "09",
    },
    barcode: "23791556100002959781172090017589645104030050",
    linha: "23791.17209 90017.589640 51040.300504 1 55610000295978",
  },
  // Caixa SIGCB: convênio 245274 (DV 0), nosso número 15 = 1 with carteira 1 and emissão 4.
  {
    src: CAIXA_SPEC,
    input: {
      bank: "104",
      dueDate: null,
      amountCents: 1000,
      beneficiario: "245274",
      nossoNumero: "14000000000000001",
    },
    campoLivre: "2452740000100040000000017",
  },
];

Deno.test("published vectors (brcobranca, boleto_bancario): campo livre, barcode, linha", () => {
  for (const v of EXTRA) {
    const got = buildBoleto(v.input);
    const label = `${v.src} ${JSON.stringify(v.input)}`;
    if (v.campoLivre) assert.equal(got.campoLivre, v.campoLivre, label);
    if (v.barcode) assert.equal(got.barcode, v.barcode, label);
    if (v.linha) assert.equal(got.linha, v.linha, label);
    if (v.linha && v.input.dueDate) {
      const p = parseBoleto(v.linha, { today: v.input.dueDate });
      assert.equal(p.bank, v.input.bank, label);
      assert.equal(p.dueDate, v.input.dueDate, label);
      assert.equal(p.amountCents, v.input.amountCents, label);
    }
  }
});

Deno.test("Itaú nosso-número DAC: carteira-only carteiras vs agência/conta carteiras", () => {
  // tomas-stefano/boleto_bancario spec/boleto_bancario/core/itau_spec.rb (#nosso_numero):
  // 126/00012345-8, 131/00006789-5, 146/00147890-9, 150/18765476-2, 168/12784698-3 use only
  // carteira + nosso número; 110/12345678-8 (agência 0057, conta 12345) uses all four.
  const cases: Array<[string, string, string]> = [
    ["126", "00012345", "8"],
    ["131", "00006789", "5"],
    ["146", "00147890", "9"],
    ["150", "18765476", "2"],
    ["168", "12784698", "3"],
    ["110", "12345678", "8"],
  ];
  for (const [carteira, nossoNumero, dac] of cases) {
    const { campoLivre } = buildBoleto({
      bank: "341",
      dueDate: null,
      amountCents: 100,
      agencia: "0057",
      conta: "12345",
      carteira,
      nossoNumero,
    });
    assert.equal(campoLivre.slice(0, 11), carteira + nossoNumero);
    assert.equal(campoLivre[11], dac, `carteira ${carteira}`);
  }
});

Deno.test("BB accepts the full nosso número (convênio + sequence) as well as the sequence", () => {
  const base = { bank: "001", dueDate: "2016-07-05", amountCents: 224674, carteira: "17" } as const;
  const a = buildBoleto({ ...base, convenio: "1474166", nossoNumero: "0000000328" });
  const b = buildBoleto({ ...base, convenio: "1474166", nossoNumero: "14741660000000328" });
  assert.equal(a.barcode, b.barcode);
  assert.equal(a.barcode, "00191684600002246740000001474166000000032817");
});

// ---------------------------------------------------------------------------------------------
// Factor, check digits.
// ---------------------------------------------------------------------------------------------

Deno.test("due-date factor around the 2025 reset", () => {
  assert.equal(dueDateFactor("2025-02-22"), "1000");
  assert.equal(dueDateFactor("2025-02-21"), "9999");
  // 1997-10-07 + 1000 days = 2000-07-03.
  const plus1000 = new Date(Date.UTC(1997, 9, 7) + 1000 * 86_400_000).toISOString().slice(0, 10);
  assert.equal(plus1000, "2000-07-03");
  assert.equal(dueDateFactor(plus1000), "1000");
  assert.equal(dueDateFactor("2000-07-03"), "1000");
  // kivanio/brcobranca spec/brcobranca/calculo_data_spec.rb @239a6fa6
  assert.equal(dueDateFactor("2008-02-02"), "3770");
  assert.equal(dueDateFactor("2008-02-06"), "3774");
  assert.equal(dueDateFactor("2000-07-04"), "1001");
  assert.equal(dueDateFactor("2002-05-01"), "1667");
  assert.equal(dueDateFactor("2010-11-17"), "4789");
  assert.equal(dueDateFactor("2025-02-23"), "1001");
  // Third cycle: 2025-02-22 + 9000 days.
  assert.equal(dueDateFactor("2049-10-14"), "1000");
  assertBillingError(() => dueDateFactor("2025-02-30"), /inexistente/, "dueDate");
  assertBillingError(() => dueDateFactor("22/02/2025"), /AAAA-MM-DD/, "dueDate");
});

Deno.test("factorToDate picks the cycle inside today −3000 … +5500 days", () => {
  assert.equal(factorToDate("0000"), null);
  assert.equal(factorToDate("1000", "2026-11-28"), "2025-02-22");
  assert.equal(factorToDate("1000", "2003-01-01"), "2000-07-03");
  assert.equal(factorToDate("9999", "2026-11-28"), "2025-02-21");
  assert.equal(factorToDate("3769", "2010-01-01"), "2008-02-01");
  // 2008-02-01 is 6876 days before 2026-11-28, so factor 3769 now means 2032-09-22.
  assert.equal(factorToDate("3769", "2026-11-28"), "2032-09-22");
  // Edges of the window.
  const today = "2026-11-28";
  const edge = (days: number) =>
    new Date(Date.parse(today) + days * 86_400_000).toISOString().slice(0, 10);
  assert.equal(factorToDate(dueDateFactor(edge(-3000)), today), edge(-3000));
  assert.equal(factorToDate(dueDateFactor(edge(5500)), today), edge(5500));
  // The window spans 8501 of the 9000 days of a cycle, so just outside it nothing matches.
  assertBillingError(() => factorToDate(dueDateFactor(edge(5501)), today), /fora da janela/);
  assertBillingError(() => factorToDate(dueDateFactor(edge(-3001)), today), /fora da janela/);
});

Deno.test("mod10 and general mod11 check digit", () => {
  // Field DVs of the shared BB vector 00190.00009 01474.166004 00000.328179.
  assert.equal(mod10("001900000"), 9);
  assert.equal(mod10("0147416600"), 4);
  assert.equal(mod10("0000032817"), 9);
  assert.equal(barcodeCheckDigit("0019684600002246740000001474166000000032817"), 1);
  // Results 0, 10 and 11 must all become 1: search bodies whose raw DV hits each of them.
  const hits = new Set<number>();
  for (let n = 0; n < 200 && hits.size < 3; n++) {
    const body = `3419${String(n).padStart(4, "0")}${"0".repeat(35)}`;
    let sum = 0;
    for (let i = 0; i < 43; i++) sum += Number(body[42 - i]) * ((i % 8) + 2);
    const raw = 11 - (sum % 11);
    if (raw === 10 || raw === 11 || raw === 0) {
      hits.add(raw);
      assert.equal(barcodeCheckDigit(body), 1, body);
    } else {
      assert.equal(barcodeCheckDigit(body), raw, body);
    }
  }
  assert.ok(hits.has(10) && hits.has(11), "exercised raw results 10 and 11");
});

// ---------------------------------------------------------------------------------------------
// Round trips: at least 3 per bank, each with one due date after the 2025-02-22 reset.
// ---------------------------------------------------------------------------------------------

const ROUND_TRIP: BoletoInput[] = [
  {
    bank: "001",
    dueDate: "2025-03-10",
    amountCents: 9990,
    convenio: "1474166",
    nossoNumero: "123",
    carteira: "17",
  },
  {
    bank: "001",
    dueDate: "2027-12-31",
    amountCents: 1,
    agencia: "3174",
    conta: "11672",
    convenio: "123879",
    nossoNumero: "99",
    carteira: "18",
  },
  {
    bank: "001",
    dueDate: "2026-06-15",
    amountCents: 9_999_999_999,
    convenio: "12387989",
    nossoNumero: "1",
    carteira: "18",
  },
  {
    bank: "001",
    dueDate: "2031-01-01",
    amountCents: 15000,
    convenio: "555444",
    nossoNumero: "12345678911234567",
  },
  {
    bank: "104",
    dueDate: "2025-02-22",
    amountCents: 12990,
    beneficiario: "792157",
    nossoNumero: "14000000000012345",
  },
  {
    bank: "104",
    dueDate: "2026-11-30",
    amountCents: 1,
    beneficiario: "1",
    nossoNumero: "24999999999999999",
  },
  {
    bank: "104",
    dueDate: "2039-08-01",
    amountCents: 3500000,
    beneficiario: "245274",
    nossoNumero: "14000000000000001",
  },
  {
    bank: "237",
    dueDate: "2025-02-21",
    amountCents: 9990,
    agencia: "1172",
    conta: "403005",
    nossoNumero: "1",
    carteira: "09",
  },
  {
    bank: "237",
    dueDate: "2026-01-05",
    amountCents: 123456,
    agencia: "4042",
    conta: "61900",
    nossoNumero: "99999999999",
    carteira: "06",
  },
  {
    bank: "237",
    dueDate: "2030-07-20",
    amountCents: 5,
    agencia: "1",
    conta: "1",
    nossoNumero: "42",
    carteira: "19",
  },
  {
    bank: "341",
    dueDate: "2025-02-23",
    amountCents: 13500,
    agencia: "0810",
    conta: "53678",
    nossoNumero: "258281",
    carteira: "109",
  },
  {
    bank: "341",
    dueDate: "2028-02-29",
    amountCents: 777,
    nossoNumero: "258281",
    carteira: "198",
    seuNumero: "1234567",
    codigoCliente: "12345",
  },
  {
    bank: "341",
    dueDate: "2026-12-01",
    amountCents: 19900,
    agencia: "1565",
    conta: "13877",
    nossoNumero: "12345678",
    carteira: "168",
  },
];

Deno.test("round trip build → parse for every bank (incl. after the 2025 reset)", () => {
  const today = "2026-11-28";
  const perBank = new Map<string, number>();
  for (const input of ROUND_TRIP) {
    const b = buildBoleto(input);
    assert.match(b.linha, /^\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$/);
    assert.equal(b.barcode.slice(19), b.campoLivre);
    for (const form of [b.linha, b.barcode, b.linha.replace(/\D/g, "")]) {
      const p = parseBoleto(form, { today });
      assert.deepEqual(
        { bank: p.bank, dueDate: p.dueDate, amountCents: p.amountCents },
        { bank: input.bank, dueDate: input.dueDate, amountCents: input.amountCents },
        JSON.stringify(input),
      );
      assert.equal(p.barcode, b.barcode);
      assert.equal(p.linha, b.linha);
    }
    perBank.set(input.bank, (perBank.get(input.bank) ?? 0) + 1);
  }
  for (const bank of ["001", "104", "237", "341"]) assert.ok((perBank.get(bank) ?? 0) >= 3);
  for (const bank of ["001", "104", "237", "341"]) {
    assert.ok(
      ROUND_TRIP.some((i) => i.bank === bank && i.dueDate! >= "2025-02-22"),
      `bank ${bank} has a post-reset date`,
    );
  }
});

Deno.test("boleto without due date uses factor 0000 and parses to null", () => {
  const b = buildBoleto({
    bank: "237",
    dueDate: null,
    amountCents: 5000,
    agencia: "1172",
    conta: "403005",
    nossoNumero: "1",
    carteira: "09",
  });
  assert.equal(b.barcode.slice(5, 9), "0000");
  assert.equal(parseBoleto(b.linha).dueDate, null);
});

// ---------------------------------------------------------------------------------------------
// Invalid input.
// ---------------------------------------------------------------------------------------------

const GOOD = "00190.00009 01474.166004 00000.328179 1 68460000224674";
const GOOD_DIGITS = GOOD.replace(/\D/g, "");
const GOOD_BARCODE = "00191684600002246740000001474166000000032817";
const TODAY = { today: "2016-07-01" };

function changeDigit(s: string, index: number): string {
  const d = (Number(s[index]) + 1) % 10;
  return s.slice(0, index) + d + s.slice(index + 1);
}

Deno.test("parseBoleto rejects a changed digit in each field (mod 10)", () => {
  assert.equal(parseBoleto(GOOD, TODAY).amountCents, 224674);
  for (const [index, field] of [[2, 1], [7, 1], [12, 2], [19, 2], [22, 3], [30, 3]]) {
    assertBillingError(
      () => parseBoleto(changeDigit(GOOD_DIGITS, index), TODAY),
      new RegExp(`dígito verificador do campo ${field} não confere`),
      "linha",
    );
  }
  // A field DV itself changed.
  assertBillingError(() => parseBoleto(changeDigit(GOOD_DIGITS, 9), TODAY), /campo 1/);
  // brazilian-utils/javascript src/is-valid-boleto/is-valid-boleto.test.ts @18024ed9 (mod 10).
  assertBillingError(
    () => parseBoleto("00190000020114971860168524522114675860000102656", TODAY),
    /campo 1/,
  );
});

Deno.test("parseBoleto rejects a changed bar-code digit (mod 11)", () => {
  for (const index of [0, 4, 6, 12, 20, 43]) {
    assertBillingError(
      () => parseBoleto(changeDigit(GOOD_BARCODE, index), TODAY),
      /dígito verificador geral \(módulo 11\)/,
      "barcode",
    );
  }
  // Field 4 (general DV) or field 5 (factor/amount) changed in the linha: fields 1-3 still pass
  // mod 10, the general DV catches it.
  for (const index of [32, 33, 40, 46]) {
    assertBillingError(
      () => parseBoleto(changeDigit(GOOD_DIGITS, index), TODAY),
      /módulo 11/,
      "linha",
    );
  }
  // brazilian-utils/javascript src/is-valid-boleto/is-valid-boleto.test.ts @18024ed9 (mod 11).
  assertBillingError(
    () => parseBoleto("00190000090114971860168524522114975860000102656", TODAY),
    /módulo 11/,
  );
});

Deno.test("parseBoleto rejects wrong length, letters and arrecadação", () => {
  assertBillingError(() => parseBoleto(GOOD_DIGITS.slice(0, 46)), /Tamanho inválido: 46/);
  assertBillingError(() => parseBoleto(GOOD_DIGITS + "0"), /Tamanho inválido: 48/);
  assertBillingError(() => parseBoleto(GOOD_BARCODE.slice(1)), /Tamanho inválido: 43/);
  assertBillingError(() => parseBoleto(""), /Informe/);
  assertBillingError(
    () => parseBoleto(GOOD.replace("01474", "0147A")),
    /caracteres inválidos/,
  );
  assertBillingError(() => parseBoleto(GOOD_DIGITS.replace(/^0/, "O")), /caracteres inválidos/);
  assertBillingError(
    () => parseBoleto("846100000005246100291102005460339004695895061080"),
    /arrecadação/,
  );
  // Currency other than 9 (recomputed general DV so only the currency is wrong).
  const body = "001" + "0" + GOOD_BARCODE.slice(5);
  const other = body.slice(0, 4) + barcodeCheckDigit(body) + body.slice(4);
  assertBillingError(() => parseBoleto(other, TODAY), /moeda/);
});

Deno.test("buildBoleto rejects invalid input with pt-BR messages", () => {
  const ok: BoletoInput = {
    bank: "237",
    dueDate: "2026-01-05",
    amountCents: 100,
    agencia: "1172",
    conta: "403005",
    nossoNumero: "1",
    carteira: "09",
  };
  assert.ok(buildBoleto(ok).barcode);
  const bad = (patch: Partial<BoletoInput>) => () =>
    buildBoleto({ ...ok, ...patch } as BoletoInput);
  assertBillingError(bad({ bank: "033" as never }), /não suportado/, "bank");
  assertBillingError(bad({ amountCents: -1 }), /Valor inválido/, "amountCents");
  assertBillingError(bad({ amountCents: 10.5 }), /Valor inválido/, "amountCents");
  assertBillingError(bad({ amountCents: 10_000_000_000 }), /Valor inválido/, "amountCents");
  assertBillingError(bad({ dueDate: "2026-02-30" }), /inexistente/, "dueDate");
  assertBillingError(bad({ agencia: "12345" }), /Agência deve ter no máximo 4/, "agencia");
  assertBillingError(bad({ conta: "40300-5" }), /apenas dígitos/, "conta");
  assertBillingError(bad({ carteira: undefined }), /Carteira é obrigatório/, "carteira");
  assertBillingError(bad({ nossoNumero: "123456789012" }), /no máximo 11/, "nossoNumero");

  const bb = { bank: "001", dueDate: "2026-01-05", amountCents: 100, carteira: "17" } as const;
  assertBillingError(
    () => buildBoleto({ ...bb, convenio: "12345", nossoNumero: "1" }),
    /4, 6, 7 ou 8 dígitos/,
    "convenio",
  );
  assertBillingError(
    () => buildBoleto({ ...bb, convenio: "1474166", nossoNumero: "12345678901" }),
    /até 10 dígitos/,
    "nossoNumero",
  );
  assertBillingError(
    () => buildBoleto({ ...bb, convenio: "123879", nossoNumero: "12345678911234567" }),
    /carteiras 16 ou 18/,
    "carteira",
  );
  assertBillingError(
    () => buildBoleto({ ...bb, convenio: "1238", nossoNumero: "1" }),
    /Agência é obrigatório/,
    "agencia",
  );
  assertBillingError(
    () =>
      buildBoleto({
        bank: "104",
        dueDate: null,
        amountCents: 100,
        beneficiario: "245274",
        nossoNumero: "000000000000001",
      }),
    /exatamente 17 dígitos/,
    "nossoNumero",
  );
  assertBillingError(
    () =>
      buildBoleto({
        bank: "341",
        dueDate: null,
        amountCents: 100,
        carteira: "198",
        nossoNumero: "1",
        codigoCliente: "12345",
      }),
    /Seu número é obrigatório/,
    "seuNumero",
  );
});
