// The sample contract script end to end: a sealed PDF that poppler validates and reads.
import assert from "node:assert/strict";
import { writeSampleContract } from "../../scripts/contract_sample.ts";
import { sha256Hex } from "../../services/crypto.ts";

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = new URL("../../", import.meta.url).pathname;

async function run(cmd: string, args: string[]): Promise<Output> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
      .output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${cmd} não está instalado: rode "apt-get install -y poppler-utils".`);
    }
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("contract sample: sealed PDF that pdfsig validates, with the contract's terms", async () => {
  const dir = await Deno.makeTempDir({ prefix: "renova-sample-" });
  try {
    const path = `${dir}/amostra.pdf`;
    const r = await writeSampleContract(path);
    const bytes = await Deno.readFile(path);
    assert.equal(r.path, path);
    assert.equal(r.bytes, bytes.length);
    assert.equal(r.sha256, await sha256Hex(bytes));
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "%PDF-");

    const sig = await run("pdfsig", [path]);
    const sigOut = sig.stdout + sig.stderr;
    assert.match(sigOut, /Signature is Valid/, sigOut);

    const txt = await run("pdftotext", ["-enc", "UTF-8", path, "-"]);
    assert.equal(txt.code, 0, txt.stderr);
    // Line breaks fall wherever the wrap puts them: compare on single spaces.
    const text = txt.stdout.replace(/\s+/g, " ");
    for (const needle of ["fidelidade", "12 meses", "Multa", "assinatura eletrônica", "SHA-256"]) {
      assert.ok(text.includes(needle), `"${needle}" não aparece no texto do PDF`);
    }
    assert.ok(text.includes(r.customerName), "o nome do cliente não aparece no PDF");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("contract sample: without an output path the script exits non-zero in pt-BR", async () => {
  const r = await run(Deno.execPath(), ["run", "-A", "scripts/contract_sample.ts"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Informe o arquivo de saída/, r.stderr);
});
