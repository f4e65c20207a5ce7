import assert from "node:assert/strict";
import { BillingError, generateCpf, isValidCnpj, isValidCpf } from "../../services/billing/mod.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const SAMPLES = new URL("../fixtures/vectors/br-payment-samples.json", import.meta.url);
const vectors: Json[] = JSON.parse(await Deno.readTextFile(SAMPLES)).vectors;

Deno.test("shared vectors: CPF and CNPJ", () => {
  const docs = vectors.filter((v) => v.kind === "cpf" || v.kind === "cnpj");
  assert.ok(docs.length >= 5);
  for (const v of docs) {
    const check = v.kind === "cpf" ? isValidCpf : isValidCnpj;
    assert.equal(check(v.input.value), v.expected.valid, v.id);
    // The published check digits are the ones the document must end with.
    const clean = v.input.value.replace(/[^0-9A-Z]/gi, "");
    if (v.expected.valid) assert.equal(clean.slice(-2), v.expected.dv, v.id);
  }
});

Deno.test("CPF: valid and invalid", () => {
  // brazilian-utils/javascript src/is-valid-cpf/is-valid-cpf.test.ts @4f0a56f3
  for (const cpf of ["40364478829", "962.718.458-60", "123 456 789 09", " 12345678909 "]) {
    assert.equal(isValidCpf(cpf), true, cpf);
  }
  // Same file: the RFB Manual da e-Financeira worked example.
  for (const cpf of ["28001238938", "280.012.389-38"]) {
    assert.equal(isValidCpf(cpf), true, cpf);
  }
  for (
    const cpf of [
      "11257245286",
      "40364478837", // first DV wrong, second would match
      "15503516031",
      "123456",
      "abcabcabcde",
      "foo391.838.38test0-66",
      "!40364478829",
      "403644788290",
      "",
    ]
  ) {
    assert.equal(isValidCpf(cpf), false, cpf);
  }
  for (let d = 0; d <= 9; d++) {
    const same = String(d).repeat(11);
    assert.equal(isValidCpf(same), false, same);
  }
  assert.equal(isValidCpf("111.111.111-11"), false);
  assert.equal(isValidCpf(null as unknown as string), false);
});

Deno.test("CNPJ: numeric valid and invalid", () => {
  // brazilian-utils/javascript src/is-valid-cnpj/is-valid-cnpj.test.ts @1f82b566
  for (const cnpj of ["13723705000189", "60.391.947/0001-00", "11 222 333 0001 81"]) {
    assert.equal(isValidCnpj(cnpj), true, cnpj);
  }
  for (
    const cnpj of ["11257245286531", "12312312312", "ababcabcabcdab", "13723705000189!", ""]
  ) {
    assert.equal(isValidCnpj(cnpj), false, cnpj);
  }
  for (let d = 0; d <= 9; d++) assert.equal(isValidCnpj(String(d).repeat(14)), false);
});

/** Independent re-computation of the alphanumeric CNPJ check digits (IN RFB 2.229/2024). */
function cnpjDv(base12: string): string {
  const vals = [...base12].map((c) => c.charCodeAt(0) - 48);
  const digit = (xs: number[], weights: number[]) => {
    const r = xs.reduce((s, x, i) => s + x * weights[i], 0) % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = digit(vals, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d2 = digit([...vals, d1], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return `${d1}${d2}`;
}

Deno.test("CNPJ: alphanumeric form (from July 2026)", () => {
  // 12ABC34501DE: values 1,2,17,18,19,3,4,5,0,1,20,21 → sum 459, 459 mod 11 = 8 → DV1 3;
  // with DV1: sum 424, 424 mod 11 = 6 → DV2 5. Hence "35".
  assert.equal(cnpjDv("12ABC34501DE"), "35");
  assert.equal(isValidCnpj("12.ABC.345/01DE-35"), true);
  assert.equal(isValidCnpj("12ABC34501DE35"), true);
  assert.equal(isValidCnpj("12.abc.345/01de-35"), true);
  assert.equal(isValidCnpj("12.ABC.345/01DE-36"), false);
  assert.equal(isValidCnpj("12.ABC.345/01DE-99"), false);
  // Check digits must be numeric.
  assert.equal(isValidCnpj("12.ABC.345/01DE-3A"), false);
  // brazilian-utils/javascript src/is-valid-cnpj/is-valid-cnpj.test.ts @1f82b566 (Receita
  // Federal reference code and Q&A examples).
  for (const cnpj of ["ABCDEFGHIJKL80", "AA345678/000A-29", "12.345.678/000A-08"]) {
    assert.equal(isValidCnpj(cnpj), true, cnpj);
    const clean = cnpj.replace(/[^0-9A-Z]/g, "");
    assert.equal(cnpjDv(clean.slice(0, 12)), clean.slice(12), cnpj);
  }
  assert.equal(isValidCnpj("ABCDEFGHIJKL81"), false);
  assert.equal(isValidCnpj("AA345678/0003-29"), false);
  assert.equal(isValidCnpj("AA345678/0003-86"), true);
  assert.equal(isValidCnpj("Q0SLFMBD7VX400"), false);
  assert.equal(isValidCnpj("q0slfmbd7vx439"), true);
  // Letters other than A-Z, or punctuation, are not formatting.
  assert.equal(isValidCnpj("12.ÀBC.345/01DE-35"), false);
  assert.equal(isValidCnpj("12_ABC_345_01DE_35"), false);
});

Deno.test("generateCpf: 1000 draws are valid, seeded draws reproducible", () => {
  for (let i = 0; i < 1000; i++) {
    const cpf = generateCpf();
    assert.match(cpf, /^\d{11}$/);
    assert.ok(isValidCpf(cpf), cpf);
  }
  const seeded = (seed: number) => () => {
    // mulberry32
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const a = seeded(42);
  const b = seeded(42);
  const runA = Array.from({ length: 20 }, () => generateCpf(a));
  const runB = Array.from({ length: 20 }, () => generateCpf(b));
  assert.deepEqual(runA, runB);
  assert.ok(new Set(runA).size > 15, "draws differ from each other");
  // A generator stuck on one digit can only make all-equal CPFs, which are never issued.
  assert.throws(() => generateCpf(() => 0.5), BillingError);
});
