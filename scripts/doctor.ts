// deno task doctor — checks settings, the KV store, the signing certificate, the message
// channels and the islands bundle, and says what is ready and what is not.
import forge from "node-forge";
import { ConfigError, loadConfig } from "../app.config.ts";
import { openDb } from "../services/db.ts";
import { schemaVersion } from "../services/migrations.ts";
import { loadSigner } from "../services/contract/signer.ts";

let failed = 0;
const ok = (what: string, detail = "") => console.log(`✔ ${what}${detail ? ` — ${detail}` : ""}`);
const bad = (what: string, detail: string) => {
  failed++;
  console.log(`✘ ${what} — ${detail}`);
};
const warn = (what: string, detail: string) => console.log(`• ${what} — ${detail}`);

let config;
try {
  config = loadConfig();
  ok(
    "Configurações",
    `porta ${config.port}, KV ${config.kvPath || "(KV gerenciado do Deno Deploy)"}`,
  );
} catch (e) {
  bad("Configurações", e instanceof ConfigError ? e.message : String(e));
  Deno.exit(1);
}

try {
  const db = await openDb({ path: config.kvPath || undefined, dataKey: config.dataKey });
  ok("Banco (Deno KV)", `versão do esquema ${await schemaVersion(db)}`);
  if (!config.dataKey) {
    warn(
      "Chave de dados",
      "gerada e guardada no próprio banco (modo demonstração); defina RENOVA_DATA_KEY em produção",
    );
  } else ok("Chave de dados", "RENOVA_DATA_KEY definida");
  try {
    const signer = await loadSigner(db, config.signingP12, {
      name: config.provider.name,
      cnpj: config.provider.cnpj,
    });
    const p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(forge.util.binary.raw.encode(signer.p12)),
      signer.passphrase,
    );
    const bag = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]?.[0];
    const cert = bag?.cert;
    if (!cert) throw new Error("o P12 não contém certificado");
    const days = Math.floor((cert.validity.notAfter.getTime() - Date.now()) / 86400_000);
    if (days < 0) bad("Certificado de assinatura", "vencido");
    else if (signer.selfSigned) {
      warn(
        "Certificado de assinatura",
        `autoassinado de demonstração (vale mais ${days} dias); configure SIGNING_P12_FILE`,
      );
    } else {ok(
        "Certificado de assinatura",
        `${cert.subject.getField("CN")?.value ?? "?"}, vale mais ${days} dias`,
      );}
  } catch (e) {
    bad("Certificado de assinatura", `não pôde ser lido: ${(e as Error).message}`);
  }
  db.kv.close();
} catch (e) {
  bad("Banco (Deno KV)", (e as Error).message);
}

const env = Deno.env.toObject();
if (env.RESEND_API_KEY) {
  ok("E-mail (resend)", env.RESEND_BASE_URL ? `base ${env.RESEND_BASE_URL}` : "API padrão");
} else warn("E-mail", "RESEND_API_KEY ausente: mensagens ficam na caixa de saída local");
if (env.WHATSAPP_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID) {
  ok("WhatsApp Cloud API", `número ${env.WHATSAPP_PHONE_NUMBER_ID}`);
} else {warn(
    "WhatsApp",
    "WHATSAPP_TOKEN / WHATSAPP_PHONE_NUMBER_ID ausentes: mensagens ficam na caixa de saída local",
  );}
if (env.WHATSAPP_TOKEN && !(env.WHATSAPP_APP_SECRET && env.WHATSAPP_VERIFY_TOKEN)) {
  bad("Webhook do WhatsApp", "defina WHATSAPP_APP_SECRET e WHATSAPP_VERIFY_TOKEN");
}

try {
  const s = await Deno.stat(new URL("../static/build/islands.json", import.meta.url));
  ok("Scripts das ilhas", `static/build/islands.json (${s.size} bytes)`);
} catch {
  bad("Scripts das ilhas", "static/build/islands.json ausente: rode deno task build");
}

console.log(failed ? `\n${failed} item(ns) não pronto(s).` : "\nTudo pronto.");
Deno.exit(failed ? 1 : 0);
