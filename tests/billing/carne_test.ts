import assert from "node:assert/strict";
import { PDFDocument } from "pdf-lib";
import {
  BillingError,
  buildBoleto,
  buildPix,
  type CarneInvoice,
  type CarneOptions,
  renderCarne,
} from "../../services/billing/mod.ts";

async function run(cmd: string, args: string[]): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      const pkg = cmd === "zbarimg" ? "zbar-tools" : "poppler-utils";
      throw new Error(
        `${cmd} não está instalado: rode "apt-get install -y ${pkg}" (necessário para este teste).`,
      );
    }
    throw e;
  }
  const stdout = new TextDecoder().decode(out.stdout);
  // zbarimg exits 4 when it finds no symbol; report that clearly instead of a bare code.
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} falhou (código ${out.code}): ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return stdout;
}

const OPTS: CarneOptions = {
  title: "Carnê de pagamento — Renova Internet",
  beneficiary: {
    name: "Renova Telecomunicações Ltda",
    document: "11444777000161",
    address: ["Rua das Acácias, 100 — Centro", "São Paulo/SP — CEP 01001-000"],
  },
  payer: {
    name: "João Ninguém",
    document: "403.644.788-29",
    address: "Av. Brasil, 2000, apto 31 — Jardim América, Ribeirão Preto/SP",
  },
  instructions: ["Após o vencimento, multa de 2% e juros de 1% ao mês."],
};

function invoice(n: number, bank: "001" | "341", dueDate: string, cents: number): CarneInvoice {
  const boleto = bank === "341"
    ? buildBoleto({
      bank,
      dueDate,
      amountCents: cents,
      agencia: "1248",
      conta: "02124",
      carteira: "109",
      nossoNumero: String(n),
    })
    : buildBoleto({
      bank,
      dueDate,
      amountCents: cents,
      convenio: "1474166",
      carteira: "17",
      nossoNumero: String(n),
    });
  return {
    number: `2027-${n}`,
    sequence: n,
    total: 2,
    dueDate,
    amountCents: cents,
    description: "Plano Fibra 500 Mb — instalação em Ribeirão Preto",
    boleto: { ...boleto, nossoNumero: String(n).padStart(8, "0") },
    pixPayload: buildPix({
      key: "123e4567-e12b-12d1-a456-426655440000",
      name: "Renova Telecomunicações Ltda",
      city: "São Paulo",
      amountCents: cents,
      txid: `RENOVA2027${n}`,
      description: "Parcela do carnê",
    }),
  };
}

const INVOICES = [
  invoice(1, "341", "2027-01-10", 123456),
  invoice(2, "001", "2027-02-10", 9990),
];

Deno.test("carnê: 2 pages, text with accents, linha, decodable bar code and PIX QR", async () => {
  const pdf = await renderCarne(INVOICES, OPTS);
  assert.ok(pdf instanceof Uint8Array && pdf.length > 1000);
  assert.equal(new TextDecoder().decode(pdf.slice(0, 5)), "%PDF-");
  assert.equal((await PDFDocument.load(pdf)).getPageCount(), 2);

  const dir = await Deno.makeTempDir({ prefix: "carne_test_" });
  try {
    const file = `${dir}/carne.pdf`;
    await Deno.writeFile(file, pdf);

    const text = await run("pdftotext", ["-layout", file, "-"]);
    assert.ok(text.includes("Beneficiário"), "Beneficiário in text");
    assert.ok(text.includes("João Ninguém"), "payer name with accents");
    assert.ok(text.includes("Renova Telecomunicações Ltda"));
    assert.ok(text.includes("CPF: 403.644.788-29"));
    assert.ok(text.includes("CNPJ: 11.444.777/0001-61"));
    assert.ok(text.includes("R$ 1.234,56"));
    assert.ok(text.includes("10/01/2027"));
    assert.ok(text.includes("R$ 99,90"));
    for (const inv of INVOICES) assert.ok(text.includes(inv.boleto.linha), inv.boleto.linha);

    // Rasterise at print-like resolution and scan both symbols with a real decoder.
    for (const [page, inv] of INVOICES.entries()) {
      const prefix = `${dir}/page${page + 1}`;
      const p = String(page + 1);
      await run("pdftoppm", ["-r", "200", "-png", "-f", p, "-l", p, "-singlefile", file, prefix]);
      const decoded = await run("zbarimg", ["--raw", "-q", `${prefix}.png`]);
      const lines = decoded.split("\n").map((l) => l.trim()).filter(Boolean);
      assert.ok(lines.includes(inv.boleto.barcode), `bar code on page ${p}: ${decoded}`);
      assert.ok(lines.includes(inv.pixPayload), `PIX QR on page ${p}: ${decoded}`);
      // Without --raw zbar names the symbology: the boleto must be interleaved 2 of 5.
      const typed = await run("zbarimg", ["-q", `${prefix}.png`]);
      assert.ok(typed.includes(`I2/5:${inv.boleto.barcode}`), typed);
      assert.ok(typed.includes(`QR-Code:${inv.pixPayload}`), typed);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function bump(digits: string, index: number): string {
  return digits.slice(0, index) + ((Number(digits[index]) + 1) % 10) + digits.slice(index + 1);
}

Deno.test("carnê refuses inconsistent invoices", async () => {
  const good = INVOICES[0];
  const wrongLast = good.pixPayload.endsWith("0") ? "1" : "0";
  const cases: Array<[CarneInvoice, RegExp]> = [
    [{ ...good, boleto: { ...good.boleto, linha: INVOICES[1].boleto.linha } }, /linha digitável/],
    [{ ...good, amountCents: good.amountCents + 1 }, /valor não confere/],
    [{ ...good, dueDate: "2027-01-11" }, /vencimento não confere/],
    [{ ...good, pixPayload: good.pixPayload.slice(0, -1) + wrongLast }, /CRC do código PIX/],
    [{ ...good, boleto: { ...good.boleto, barcode: bump(good.boleto.barcode, 30) } }, /módulo 11/],
  ];
  for (const [inv, message] of cases) {
    await assert.rejects(() => renderCarne([inv], OPTS), (e: unknown) => {
      assert.ok(e instanceof BillingError, String(e));
      assert.match(e.message, message);
      return true;
    });
  }
  await assert.rejects(() => renderCarne([], OPTS), /ao menos uma parcela/);
  await assert.rejects(
    () => renderCarne([good], { ...OPTS, fontDir: "/nonexistent" }),
    /Fonte não encontrada/,
  );
});
