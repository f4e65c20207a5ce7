import assert from "node:assert/strict";
import bwipjs from "bwip-js";
import { PDFDocument } from "pdf-lib";
import {
  appendCertificatePage,
  contractHash,
  formatBrasilia,
  renderContractPdf,
  stampSignature,
} from "../../services/contract/mod.ts";
import {
  DATA,
  evidence,
  hasCommand,
  pdfText,
  run,
  SECTIONS,
  TITLE,
  VERIFY_URL,
  writeTemp,
} from "./fixtures.ts";

const pageCount = async (pdf: Uint8Array) => (await PDFDocument.load(pdf)).getPageCount();
const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const PLAN_CODE = DATA.plan.offerCode;

Deno.test("contract PDF: pdftotext gives back every section, accent and the fine table", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pdf = await renderContractPdf(SECTIONS, { title: TITLE });
    const path = await writeTemp(dir, "contrato.pdf", pdf);
    const text = await pdfText(path);

    // Titles stand on their own line (a form feed may precede the first line of a page).
    const lines = text.split("\n").map((l) => l.replace(/^\f/, "").trim());
    for (const s of SECTIONS) assert.ok(lines.includes(s.title), `título ausente: ${s.title}`);
    for (const word of ["Conceição", "Araújo", PLAN_CODE, "Multa", "Ribeirão Preto/SP", "nº"]) {
      assert.ok(text.includes(word), `faltou "${word}" no texto extraído`);
    }
    // The table: one line per row, with the months and the fine side by side.
    const table = SECTIONS.find((s) => s.table)!.table!;
    assert.match(text, /Meses restantes\s+Multa/);
    for (const [months, fine] of table.rows) {
      assert.match(text, new RegExp(`^\\s*${months}\\s+${fine.replace("$", "\\$")}\\s*$`, "m"));
    }
    // Every paragraph comes back word for word once line breaks and footers are removed.
    const body = squash(
      text.replace(new RegExp(`^.*${TITLE}\\s+Página \\d+ de \\d+\\s*$`, "gm"), ""),
    );
    for (const p of SECTIONS.flatMap((s) => s.paragraphs)) {
      assert.ok(body.includes(squash(p)), `parágrafo ausente ou alterado: ${p.slice(0, 60)}…`);
    }
    // Footer on every page, with the right total.
    const pages = await pageCount(pdf);
    for (let i = 1; i <= pages; i++) assert.ok(text.includes(`Página ${i} de ${pages}`));
    assert.ok(text.includes(TITLE));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("contract PDF: long text breaks pages and repeats the table header", async () => {
  const long = SECTIONS.map((s) => ({
    ...s,
    paragraphs: s.paragraphs.map((p) => `${p} ${p} ${p}`),
    // 60 rows cannot fit one page: the header must come back on the next one.
    table: s.table && {
      head: s.table.head,
      rows: Array.from({ length: 60 }, (_, i) => [String(60 - i), `R$ ${60 - i},00`]),
    },
  }));
  const pdf = await renderContractPdf(long, { title: TITLE });
  const pages = await pageCount(pdf);
  assert.ok(pages >= 3, `esperava 3+ páginas, veio ${pages}`);
  const dir = await Deno.makeTempDir();
  try {
    const text = await pdfText(await writeTemp(dir, "longo.pdf", pdf));
    assert.ok(text.includes(`Página ${pages} de ${pages}`));
    assert.ok(text.split("Meses restantes").length - 1 >= 2, "cabeçalho não repetido");
    for (const t of long.map((s) => s.title)) assert.ok(text.includes(t), t);
    assert.match(text, /^\s*1\s+R\$ 1,00\s*$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("signature time is shown in Brasília time whatever the server zone", () => {
  assert.equal(formatBrasilia("2026-03-05T14:07:33Z"), "05/03/2026 às 11:07:33");
  assert.throws(() => formatBrasilia("ontem"), /Data inválida/);
});

Deno.test("stamp + certificate: one more page, evidence lines, SHA-256 and QR", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pdf = await renderContractPdf(SECTIONS, { title: TITLE });
    const before = await pageCount(pdf);
    const sha = await contractHash(SECTIONS);
    const drawn = await bwipjs.toBuffer({ bcid: "code128", text: "Joao", scale: 2, height: 8 });
    const stamped = await stampSignature(pdf, {
      typedName: "João Conceição Araújo",
      signedAt: "2026-03-05T14:07:33.000Z",
      drawnSignaturePng: drawn,
    });
    assert.equal(await pageCount(stamped), before, "a assinatura cabe na última página");
    const final = await appendCertificatePage(stamped, evidence(sha), {
      verifyUrl: VERIFY_URL,
      selfSigned: true,
    });
    assert.equal(await pageCount(final), before + 1);

    const path = await writeTemp(dir, "assinado.pdf", final);
    const lastContract = await pdfText(path, before);
    assert.ok(lastContract.includes("Assinatura eletrônica do CONTRATANTE"));
    assert.ok(lastContract.includes("João Conceição Araújo"));
    assert.ok(lastContract.includes("05/03/2026 às 11:07:33 (horário de Brasília)"));

    const cert = await pdfText(path, before + 1);
    for (
      const expected of [
        "Certificado de assinatura",
        sha,
        "Versão do contrato: 2026.1",
        "Nome: João Conceição Araújo",
        "CPF: ***.644.788-**",
        "Telefone: +55 (16) 9****-4567",
        "E-mail: jo*********@example.com.br",
        "Assinado em: 05/03/2026 14:07:33 UTC",
        "aprovada por Mariana Siqueira (atendimento) em 05/03/2026 13:58:10",
        "05/03/2026 13:59:02 UTC — Link de assinatura enviado",
        "05/03/2026 14:05:41 UTC — Link de assinatura aberto",
        "05/03/2026 14:07:33 UTC — Contrato assinado",
        "IP: 203.0.113.45",
        "IP: 198.51.100.20",
        "Navegador: Renova/1.0 (painel)",
        "certificado autoassinado de demonstração",
        VERIFY_URL,
      ]
    ) assert.ok(squash(cert).includes(expected), `faltou "${expected}" no certificado`);
    assert.ok(!cert.includes("40364478829") && !cert.includes("403.644.788-29"), "CPF exposto");
    assert.ok(squash(cert).includes("Mozilla/5.0 (Linux; Android 14; moto g84 5G)"));

    if (!(await hasCommand("zbarimg"))) {
      console.warn("zbarimg ausente (apt-get install -y zbar-tools): QR não decodificado");
      return;
    }
    const png = `${dir}/certificado`;
    const r = await run("pdftoppm", [
      "-r",
      "150",
      "-png",
      "-f",
      String(before + 1),
      "-l",
      String(before + 1),
      "-singlefile",
      path,
      png,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const qr = await run("zbarimg", ["--raw", "-q", `${png}.png`]);
    assert.equal(qr.code, 0, `zbarimg não achou o QR: ${qr.stderr}`);
    assert.equal(qr.stdout.trim(), VERIFY_URL);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("certificate without self-signed note or photo check says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pdf = await renderContractPdf(SECTIONS, { title: TITLE });
    const ev = {
      ...evidence(await contractHash(SECTIONS)),
      holderPhoto: null,
      signer: { name: "João Conceição Araújo", cpf: "***.644.788-**" },
      events: [{
        action: "vendor.custom",
        label: "Código SMS confirmado",
        at: "2026-03-05T14:06:00Z",
      }],
    };
    const out = await appendCertificatePage(pdf, ev, { verifyUrl: VERIFY_URL, selfSigned: false });
    const text = await pdfText(await writeTemp(dir, "c.pdf", out), await pageCount(out));
    assert.ok(!text.includes("autoassinado"));
    assert.ok(text.includes("Nenhuma verificação por foto foi registrada."));
    assert.ok(text.includes("CPF: ***.644.788-**"), "CPF já mascarado fica como veio");
    assert.ok(text.includes("Telefone: não informado"));
    assert.ok(text.includes("05/03/2026 14:06:00 UTC — Código SMS confirmado"));
    assert.ok(text.includes("IP: não registrado"));
    await assert.rejects(
      appendCertificatePage(pdf, { ...ev, documentSha256: "abc" }, {
        verifyUrl: VERIFY_URL,
        selfSigned: false,
      }),
      /SHA-256/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stamp on a PDF without room adds a signature page after the contract", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const foreign = await PDFDocument.create();
    foreign.setTitle("Contrato de terceiros");
    foreign.addPage([595.28, 841.89]);
    const stamped = await stampSignature(await foreign.save(), {
      typedName: "João Conceição Araújo",
      signedAt: "2026-03-05T14:07:33Z",
    });
    assert.equal(await pageCount(stamped), 2);
    const text = await pdfText(await writeTemp(dir, "s.pdf", stamped), 2);
    assert.ok(text.includes("João Conceição Araújo"));
    assert.ok(text.includes("Página de assinatura"));
    await assert.rejects(
      stampSignature(await foreign.save(), { typedName: " ", signedAt: "2026-03-05T14:07:33Z" }),
      /nome/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
