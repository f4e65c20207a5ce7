import assert from "node:assert/strict";
import {
  formatCnpj,
  formatCount,
  formatCpf,
  formatDate,
  formatDateTime,
  formatDateTimeSeconds,
  formatDocument,
  formatMoney,
  formatPhone,
  maskCpf,
  maskEmail,
  maskPhone,
} from "../../domain/format.ts";

Deno.test("money in reais with thousands dot and decimal comma", () => {
  assert.equal(formatMoney(123456), "R$ 1.234,56");
  assert.equal(formatMoney(9990), "R$ 99,90");
  assert.equal(formatMoney(0), "R$ 0,00");
});

Deno.test("dates, CPF, CNPJ and phones in Brazilian form", () => {
  assert.equal(formatDate("2026-03-05"), "05/03/2026");
  assert.equal(formatDateTime("2026-03-05T17:07:00Z"), "05/03/2026 14:07");
  assert.equal(formatCpf("52998224725"), "529.982.247-25");
  assert.equal(formatCnpj("11222333000181"), "11.222.333/0001-81");
  assert.equal(formatPhone("5511912345678"), "+55 (11) 91234-5678");
  assert.equal(formatPhone("551140001234"), "+55 (11) 4000-1234");
});

Deno.test("masks keep only what a person needs to recognise their data", () => {
  assert.equal(maskCpf("52998224725"), "***.982.247-**");
  assert.equal(maskPhone("5511912345678"), "+55 (11) 9****-5678");
  assert.equal(maskEmail("maria@exemplo.com.br"), "ma***@exemplo.com.br");
});

Deno.test("a document is formatted as CPF or CNPJ by its length, anything else as given", () => {
  assert.equal(formatDocument("12345678909"), "123.456.789-09");
  assert.equal(formatDocument("12abc34501de35"), "12.ABC.345/01DE-35");
  assert.equal(formatDocument(" 123 "), "123");
});

Deno.test("evidence times are shown to the second in Brasília time; counts with dots", () => {
  assert.equal(formatDateTimeSeconds("2026-03-05T14:07:33Z"), "05/03/2026 às 11:07:33");
  assert.equal(formatDateTime("2026-03-05T03:00:00Z"), "05/03/2026 00:00");
  assert.equal(formatCount(1234567), "1.234.567");
});
