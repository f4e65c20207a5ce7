// The provider's signing certificate for the PDF seal. Configured P12 when given; otherwise a
// self-signed demo certificate generated on first start and kept encrypted in the store (and
// the certificate page says so).
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { deleteBlob, getBlob, promoteBlob, putBlob } from "../blobs.ts";
import { fromBase64Url, openJson, randomToken, sealJson } from "../crypto.ts";
import { generateSelfSignedP12 } from "./seal.ts";

export interface Signer {
  p12: Uint8Array;
  passphrase: string;
  selfSigned: boolean;
}

interface StoredP12 {
  blobId: string;
  sealedPassphrase: string;
}

const cache = new WeakMap<Deno.Kv, Promise<Signer>>();

export function loadSigner(
  db: Db,
  configured: { base64: string; passphrase: string } | undefined,
  org: { name: string; cnpj: string },
): Promise<Signer> {
  let p = cache.get(db.kv);
  if (!p) {
    p = resolveSigner(db, configured, org);
    cache.set(db.kv, p);
    p.catch(() => cache.delete(db.kv));
  }
  return p;
}

async function resolveSigner(
  db: Db,
  configured: { base64: string; passphrase: string } | undefined,
  org: { name: string; cnpj: string },
): Promise<Signer> {
  if (configured) {
    const b64 = configured.base64.replace(/\s/g, "").replaceAll("+", "-").replaceAll("/", "_");
    return {
      p12: fromBase64Url(b64.replace(/=+$/, "")),
      passphrase: configured.passphrase,
      selfSigned: false,
    };
  }
  const found = (await db.kv.get<StoredP12>(keys.signingP12())).value;
  if (found) return await openStored(db, found);
  const passphrase = randomToken(18);
  const p12 = generateSelfSignedP12({
    commonName: org.name,
    organization: org.name,
    cnpj: org.cnpj,
    passphrase,
  });
  const blob = await putBlob(db, p12, "application/x-pkcs12", "signing_certificate");
  const rec: StoredP12 = {
    blobId: blob.id,
    sealedPassphrase: await sealJson(db.crypto.aes, passphrase, "signing_p12"),
  };
  const op = db.kv.atomic().check({ key: keys.signingP12(), versionstamp: null })
    .set(keys.signingP12(), rec);
  promoteBlob(op, blob);
  if ((await op.commit()).ok) return { p12, passphrase, selfSigned: true };
  await deleteBlob(db, blob.id); // the other process's certificate stands
  // Another process stored one first: use theirs, so every seal uses one certificate.
  return await openStored(db, (await db.kv.get<StoredP12>(keys.signingP12())).value!);
}

async function openStored(db: Db, rec: StoredP12): Promise<Signer> {
  const { data } = await getBlob(db, rec.blobId);
  return {
    p12: data,
    passphrase: await openJson<string>(db.crypto.aes, rec.sealedPassphrase, "signing_p12"),
    selfSigned: true,
  };
}
