// Over 400 lines on purpose: the CMS/PAdES structure is one ASN.1 tree read top to bottom; split, its byte layout would be harder to review against ETSI EN 319 142.
/**
 * The final PAdES seal (SubFilter ETSI.CAdES.detached). The CMS SignedData is assembled here
 * with node-forge's ASN.1 helpers rather than a library signer, because PAdES validators need
 * the ESS signing-certificate-v2 attribute (RFC 5035), which generic PKCS#7 signers omit.
 *
 * Flow: pdf-lib writes a /Sig dictionary with a ByteRange placeholder and a zero-filled
 * /Contents; we then fix the ByteRange, hash everything but /Contents, and put the CMS there.
 */
import forge from "node-forge";
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFRef,
  PDFString,
} from "pdf-lib";

const asn1 = forge.asn1;
const { Class, Type } = forge.asn1;

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  /** ICP-Brasil otherName for a company's CNPJ. */
  icpCnpj: "2.16.76.1.3.3",
} as const;

export const SUBFILTER = "ETSI.CAdES.detached";
/** Bytes reserved for the CMS (hex-encoded, so twice this in the file). */
const CONTENTS_BYTES = 12_000;
const BR_PLACEHOLDER = "**********";

export interface P12Signer {
  p12: Uint8Array;
  passphrase: string;
}

export interface SealInfo {
  reason: string;
  location: string;
  name: string;
  /**
   * CMS signing-time signed attribute (default true). ETSI EN 319 142-1 (PAdES baseline) and
   * the ITI validator reject it; pass false for them (the time stays in /M).
   */
  signingTimeAttribute?: boolean;
}

export interface SealCheck {
  /** ByteRange starts at 0, ends at EOF and leaves out exactly the /Contents hex string. */
  byteRangeCoversAllButContents: boolean;
  /** The CMS messageDigest equals SHA-256 of the bytes the ByteRange covers. */
  digestMatches: boolean;
  /** The RSA signature over the signed attributes verifies with the embedded certificate. */
  signatureValid: boolean;
  signerCommonName: string;
  /** signing-certificate-v2 present and its hash matches the signer certificate. */
  hasSigningCertificateV2: boolean;
  hasSigningTime: boolean;
  subFilter: string;
}

// --- bytes <-> forge binary strings -------------------------------------------------------

function toBinary(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return s;
}

const fromBinary = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1 = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
}

/** The bytes a ByteRange [a b c d] covers, concatenated. */
function coveredBytes(pdf: Uint8Array, br: number[]): Uint8Array {
  const out = new Uint8Array(br[1] + br[3]);
  out.set(pdf.subarray(br[0], br[0] + br[1]), 0);
  out.set(pdf.subarray(br[2], br[2] + br[3]), br[1]);
  return out;
}

// --- ASN.1 builders ---------------------------------------------------------------------

type Asn1 = forge.asn1.Asn1;
const seq = (v: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, v);
const set = (v: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, v);
const oid = (o: string) =>
  asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes());
const octets = (bin: string) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bin);
const int = (n: number) =>
  asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const ctx = (tag: number, v: Asn1[]) => asn1.create(Class.CONTEXT_SPECIFIC, tag, true, v);
const der = (a: Asn1) => asn1.toDer(a).getBytes();
const attribute = (type: string, value: Asn1) => seq([oid(type), set([value])]);

function timeAsn1(d: Date): Asn1 {
  // RFC 5280 rule: UTCTime until 2049, GeneralizedTime after.
  return d.getUTCFullYear() < 2050
    ? asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(d))
    : asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}

/** Issuer Name and serialNumber, taken from the certificate's own DER (byte-exact). */
function issuerAndSerial(certAsn1: Asn1): { issuer: Asn1; serial: Asn1 } {
  const tbs = (certAsn1.value as Asn1[])[0].value as Asn1[];
  const i = tbs[0].tagClass === Class.CONTEXT_SPECIFIC ? 1 : 0; // skip [0] version
  return { serial: tbs[i], issuer: tbs[i + 2] };
}

interface LoadedSigner {
  /** The private key in WebCrypto: native RSA, where forge's pure-JS one took ~40 ms a seal. */
  key: CryptoKey;
  cert: forge.pki.Certificate;
  chain: forge.pki.Certificate[];
}

// Opening a PKCS#12 (3DES + PBKDF in pure JS) cost more than the seal itself; the P12 bytes
// a process seals with are opened once. Keyed by the bytes object (loadSigner keeps one per
// store) and the passphrase; a failed open is not remembered.
const opened = new WeakMap<Uint8Array, Map<string, Promise<LoadedSigner>>>();

function openSigner(signer: P12Signer): Promise<LoadedSigner> {
  let byPass = opened.get(signer.p12);
  if (!byPass) opened.set(signer.p12, byPass = new Map());
  let p = byPass.get(signer.passphrase);
  if (!p) {
    p = importSigner(loadP12(signer)).catch((e) => {
      byPass.delete(signer.passphrase);
      throw e;
    });
    byPass.set(signer.passphrase, p);
  }
  return p;
}

async function importSigner(
  s: { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate; chain: forge.pki.Certificate[] },
): Promise<LoadedSigner> {
  const pkcs8 = der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(s.key)));
  const key = await crypto.subtle.importKey(
    "pkcs8",
    fromBinary(pkcs8),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return { key, cert: s.cert, chain: s.chain };
}

function loadP12(signer: P12Signer) {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(toBinary(signer.p12)), signer.passphrase);
  } catch (e) {
    throw new Error(`Não foi possível abrir o certificado PKCS#12: ${(e as Error).message}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
      forge.pki.oids.pkcs8ShroudedKeyBag
    ] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error("O PKCS#12 não contém chave privada RSA.");
  const cert = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n));
  if (!cert) throw new Error("O PKCS#12 não contém o certificado da chave privada.");
  return { key, cert, chain: certs.filter((c) => c !== cert) };
}

/** CMS SignedData (detached) over `digest`, with signing-certificate-v2. Returns DER bytes. */
async function buildCms(
  s: LoadedSigner,
  digest: Uint8Array,
  signingTime?: Date,
): Promise<Uint8Array> {
  const certAsn1 = forge.pki.certificateToAsn1(s.cert);
  const certHash = forge.md.sha256.create().update(der(certAsn1)).digest().getBytes();
  const { issuer, serial } = issuerAndSerial(certAsn1);
  const sha256Alg = seq([oid(OID.sha256)]); // RFC 5754: parameters absent for SHA-2

  // ESSCertIDv2 without hashAlgorithm: DER omits the DEFAULT (SHA-256).
  const essCertIdV2 = seq([octets(certHash), seq([seq([ctx(4, [issuer])]), serial])]);
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    ...(signingTime ? [attribute(OID.signingTime, timeAsn1(signingTime))] : []),
    attribute(OID.messageDigest, octets(toBinary(digest))),
    attribute(OID.signingCertificateV2, seq([seq([essCertIdV2])])),
  ].map((a) => ({ a, d: der(a) })).sort((x, y) => (x.d < y.d ? -1 : x.d > y.d ? 1 : 0))
    .map((x) => x.a); // DER: SET OF sorted by encoding

  // The signature covers the attributes encoded as a SET (tag 0x31), per RFC 5652 §5.4.
  // RSASSA-PKCS1-v1_5 is deterministic: the same bytes forge's key.sign(sha256) gave.
  const signature = toBinary(
    new Uint8Array(
      await crypto.subtle.sign("RSASSA-PKCS1-v1_5", s.key, fromBinary(der(set(attrs)))),
    ),
  );

  const signerInfo = seq([
    int(1),
    seq([issuer, serial]),
    sha256Alg,
    ctx(0, attrs),
    seq([oid(OID.rsaEncryption), asn1.create(Class.UNIVERSAL, Type.NULL, false, "")]),
    octets(signature),
  ]);
  const signedData = seq([
    int(1),
    set([sha256Alg]),
    seq([oid(OID.data)]),
    ctx(0, [certAsn1, ...s.chain.map((c) => forge.pki.certificateToAsn1(c))]),
    set([signerInfo]),
  ]);
  return fromBinary(der(seq([oid(OID.signedData), ctx(0, [signedData])])));
}

/** Adds the /Sig field (invisible widget on the last page) with placeholders; saves. */
async function withPlaceholder(doc: PDFDocument, info: SealInfo, when: Date): Promise<Uint8Array> {
  const c = doc.context;
  const page = doc.getPages().at(-1);
  if (!page) throw new Error("PDF sem páginas.");
  const byteRange = PDFArray.withContext(c);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BR_PLACEHOLDER));
  const sigRef = c.register(c.obj({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: SUBFILTER,
    ByteRange: byteRange,
    Contents: PDFHexString.of("0".repeat(CONTENTS_BYTES * 2)),
    Name: PDFHexString.fromText(info.name),
    Reason: PDFHexString.fromText(info.reason),
    Location: PDFHexString.fromText(info.location),
    M: PDFString.fromDate(when),
  }));
  const appearance = c.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} });
  const widgetRef: PDFRef = c.register(c.obj({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    Rect: [0, 0, 0, 0],
    V: sigRef,
    T: PDFHexString.fromText("Selo Renova"),
    F: 4, // print
    P: page.ref,
    AP: { N: c.register(appearance) },
  }));
  page.node.addAnnot(widgetRef);
  let form = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  if (!form) {
    form = c.obj({ Fields: [] });
    doc.catalog.set(PDFName.of("AcroForm"), c.register(form));
  }
  let fields = form.lookupMaybe(PDFName.of("Fields"), PDFArray);
  if (!fields) {
    fields = c.obj([]);
    form.set(PDFName.of("Fields"), fields);
  }
  fields.push(widgetRef);
  form.set(PDFName.of("SigFlags"), PDFNumber.of(3)); // SignaturesExist | AppendOnly
  // Classic xref: the /Sig dictionary must not end up compressed inside an object stream.
  return await doc.save({ useObjectStreams: false });
}

/** Seals the PDF with one PAdES signature made with the P12's key. */
export async function sealPdf(
  pdf: Uint8Array,
  signer: P12Signer,
  info: SealInfo,
): Promise<Uint8Array> {
  return await sealDocument(await PDFDocument.load(pdf), signer, info);
}

/** sealPdf on an open document: its one save is the sealed file's (see pipeline.ts). */
export async function sealDocument(
  doc: PDFDocument,
  signer: P12Signer,
  info: SealInfo,
): Promise<Uint8Array> {
  const s = await openSigner(signer);
  const when = new Date();
  when.setMilliseconds(0);
  const out = await withPlaceholder(doc, info, when);
  const text = latin1(out);

  const brRe = /\/ByteRange\s*\[\s*0\s+\/\*{10}\s+\/\*{10}\s+\/\*{10}\s*\]/g;
  const brMatches = [...text.matchAll(brRe)];
  if (brMatches.length !== 1) throw new Error("Marcador /ByteRange do selo não encontrado.");
  const br = brMatches[0];
  const zeros = `<${"0".repeat(CONTENTS_BYTES * 2)}>`;
  const start = text.indexOf(zeros, br.index);
  if (start < 0) throw new Error("Marcador /Contents do selo não encontrado.");
  const end = start + zeros.length;
  const range = [0, start, end, out.length - end];

  const brText = `/ByteRange [${range.join(" ")}]`;
  if (brText.length > br[0].length) throw new Error("ByteRange não cabe no marcador.");
  out.set(new TextEncoder().encode(brText.padEnd(br[0].length, " ")), br.index!);

  const time = info.signingTimeAttribute === false ? undefined : when;
  const cms = await buildCms(s, await sha256(coveredBytes(out, range)), time);
  if (cms.length > CONTENTS_BYTES) throw new Error("A assinatura CMS excede o espaço reservado.");
  const hex = Array.from(cms, (b) => b.toString(16).padStart(2, "0")).join("");
  out.set(new TextEncoder().encode(hex.toUpperCase()), start + 1);
  return out;
}

/** Self-signed RSA 2048 / SHA-256 certificate valid for 10 years, as a PKCS#12 (demo only). */
export function generateSelfSignedP12(opts: {
  commonName: string;
  organization: string;
  cnpj?: string;
  passphrase: string;
}): Uint8Array {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // Positive 16-byte serial: first byte below 0x80.
  const rnd = crypto.getRandomValues(new Uint8Array(16));
  rnd[0] = (rnd[0] & 0x7f) | 0x01;
  cert.serialNumber = Array.from(rnd, (b) => b.toString(16).padStart(2, "0")).join("");
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(cert.validity.notBefore);
  cert.validity.notAfter.setUTCFullYear(cert.validity.notBefore.getUTCFullYear() + 10);
  const utf8 = Type.UTF8 as unknown as forge.asn1.Class; // typings mistype valueTagClass
  // Most significant first (C, O, CN), as CAs issue them.
  const subject = [
    { name: "countryName", value: "BR" },
    { name: "organizationName", value: opts.organization, valueTagClass: utf8 },
    { name: "commonName", value: opts.commonName, valueTagClass: utf8 },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const extensions: unknown[] = [
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ];
  const cnpj = opts.cnpj?.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  if (cnpj) {
    // ICP-Brasil style: CNPJ as otherName 2.16.76.1.3.3 in subjectAltName.
    const otherName = ctx(0, [oid(OID.icpCnpj), ctx(0, [octets(cnpj)])]);
    extensions.push({ id: "2.5.29.17", value: seq([otherName]) });
  }
  cert.setExtensions(extensions as never[]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], opts.passphrase, {
    algorithm: "3des",
    // forge writes friendlyName byte by byte: keep it ASCII.
    friendlyName: opts.commonName.normalize("NFD").replace(/[^\x20-\x7e]/g, ""),
  });
  return fromBinary(der(p12));
}

/** Re-checks the last signature of a sealed PDF by parsing its CMS with node-forge. */
export async function verifySealedPdf(pdf: Uint8Array): Promise<SealCheck> {
  const text = latin1(pdf);
  const all = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const m = all.at(-1);
  if (!m) throw new Error("O PDF não tem assinatura (/ByteRange ausente).");
  const br = m.slice(1, 5).map(Number);
  const hex = text.slice(br[1] + 1, br[2] - 1);
  const byteRangeCoversAllButContents = br[0] === 0 && br[1] > 0 && text[br[1]] === "<" &&
    text[br[2] - 1] === ">" && /^[0-9a-fA-F]+$/.test(hex) && br[2] + br[3] === pdf.length;

  const objStart = text.lastIndexOf(" obj", m.index);
  const objEnd = text.indexOf("endobj", m.index);
  const subFilter = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(text.slice(objStart, objEnd))?.[1] ??
    "";

  // Trailing zero padding follows the DER, so parse only the first object.
  const root = asn1.fromDer(forge.util.hexToBytes(hex), { parseAllBytes: false } as never);
  const signedData = ((root.value as Asn1[])[1].value as Asn1[])[0].value as Asn1[];
  const certSet = signedData.find((a) => a.tagClass === Class.CONTEXT_SPECIFIC && a.type === 0);
  const signerInfo = (signedData.at(-1)!.value as Asn1[])[0].value as Asn1[];
  const sid = der(signerInfo[1]);
  const certAsn1 = ((certSet?.value ?? []) as Asn1[]).find((c) => {
    const { issuer, serial } = issuerAndSerial(c);
    return der(seq([issuer, serial])) === sid;
  });
  if (!certAsn1) throw new Error("Certificado do signatário ausente no CMS.");
  const cert = forge.pki.certificateFromAsn1(certAsn1);

  const signedAttrs = signerInfo.find((a) => a.tagClass === Class.CONTEXT_SPECIFIC && a.type === 0);
  const attrs = new Map<string, Asn1>();
  for (const a of (signedAttrs?.value ?? []) as Asn1[]) {
    const [type, values] = a.value as Asn1[];
    attrs.set(asn1.derToOid(type.value as string), (values.value as Asn1[])[0]);
  }

  const covered = await sha256(coveredBytes(pdf, br));
  const messageDigest = attrs.get(OID.messageDigest)?.value;
  const digestMatches = messageDigest === toBinary(covered);

  let hasSigningCertificateV2 = false;
  const scv2 = attrs.get(OID.signingCertificateV2);
  if (scv2) {
    const essCertId = ((scv2.value as Asn1[])[0].value as Asn1[])[0].value as Asn1[];
    const hashAsn1 = essCertId.find((a) => a.type === Type.OCTETSTRING);
    const certHash = forge.md.sha256.create().update(der(certAsn1)).digest().getBytes();
    hasSigningCertificateV2 = hashAsn1?.value === certHash;
  }

  let signatureValid = false;
  if (signedAttrs) {
    const setDer = "\x31" + der(signedAttrs).slice(1); // [0] IMPLICIT → SET for hashing
    const md = forge.md.sha256.create().update(setDer);
    const sig = signerInfo.find((a) => a.type === Type.OCTETSTRING)?.value as string;
    try {
      signatureValid = (cert.publicKey as forge.pki.rsa.PublicKey).verify(
        md.digest().getBytes(),
        sig,
      );
    } catch {
      signatureValid = false;
    }
  }

  const cn = cert.subject.getField("CN") as { value: string; valueTagClass?: number } | null;
  const signerCommonName = !cn
    ? ""
    : cn.valueTagClass === Type.UTF8
    ? forge.util.decodeUtf8(cn.value)
    : cn.value;

  return {
    byteRangeCoversAllButContents,
    digestMatches,
    signatureValid,
    signerCommonName,
    hasSigningCertificateV2,
    hasSigningTime: attrs.has(OID.signingTime),
    subFilter,
  };
}
