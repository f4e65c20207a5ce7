// The access servers (NAS) Renova sends CoA to: name, address, port, shared secret (sealed at
// rest, or the name of an environment variable that holds it), vendor profile, and the cities
// whose sessions it holds. Admins manage them; every change is audited without the secret.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit } from "../audit.ts";
import type { Actor } from "../../domain/actor.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { openJson, sealJson } from "../crypto.ts";
import { isIP } from "node:net";
import { parseGeneric, type ProfileOptions, type Vendor, VENDORS } from "./profiles.ts";

export interface Nas {
  id: string;
  name: string;
  host: string;
  port: number;
  vendor: Vendor;
  /** The shared secret, sealed; absent when it comes from the environment. */
  secretSealed?: string;
  /** Or the environment variable holding it (e.g. NAS_SECRET_CENTRO). */
  secretEnv?: string;
  options: ProfileOptions;
  /** Cities whose customers' sessions this NAS holds (empty: any city). */
  cities: string[];
  createdAt: string;
}

/** What a page may show of a NAS: never the secret. */
export type PublicNas = Omit<Nas, "secretSealed"> & { secretFrom: "sealed" | "env" };

export interface NasInput {
  name?: string;
  host?: string;
  port?: string;
  vendor?: string;
  secret?: string;
  secretEnv?: string;
  cities?: string;
  attributes?: string;
  allowDisconnect?: string;
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const secretAad = (id: string) => `nas:${id}:secret`;

function validate(input: NasInput) {
  const fields: Record<string, string> = {};
  const name = (input.name ?? "").trim();
  if (!name || name.length > 80) fields.name = "Dê um nome ao NAS (até 80 caracteres).";
  const host = (input.host ?? "").trim();
  if (!host || (host.length > 253) || (!isIP(host) && !HOSTNAME.test(host))) {
    fields.host = "Informe o endereço IP ou nome do NAS.";
  }
  const port = input.port?.trim() ? Number(input.port) : 3799;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fields.port = "Porta entre 1 e 65535 (CoA usa 3799).";
  }
  const vendor = input.vendor as Vendor;
  if (!VENDORS.includes(vendor)) fields.vendor = "Escolha o fabricante.";
  const secret = input.secret ?? "";
  const secretEnv = (input.secretEnv ?? "").trim();
  if (secretEnv && !/^[A-Z][A-Z0-9_]{0,63}$/.test(secretEnv)) {
    fields.secretEnv = "Use um nome de variável como NAS_SECRET_CENTRO.";
  } else if (!secretEnv && (secret.length < 8 || secret.length > 128)) {
    fields.secret = "O segredo compartilhado precisa de 8 a 128 caracteres (ou use uma variável).";
  }
  const options: ProfileOptions = { allowDisconnect: input.allowDisconnect === "on" };
  if (vendor === "generic") {
    try {
      parseGeneric(input.attributes ?? "", { downMbps: 1, upMbps: 1 });
      options.attributes = input.attributes;
    } catch (e) {
      fields.attributes = (e as Error).message;
    }
  }
  const cities = (input.cities ?? "").split(/[,\n]/).map((c) => c.trim()).filter(Boolean);
  if (cities.some((c) => c.length > 80) || cities.length > 200) {
    fields.cities = "Liste até 200 cidades, separadas por vírgula.";
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { name, host, port, vendor, secret, secretEnv, options, cities };
}

export async function createNas(db: Db, input: NasInput, actor: Actor): Promise<PublicNas> {
  const v = validate(input);
  const id = ulid();
  const nas: Nas = {
    id,
    name: v.name,
    host: v.host,
    port: v.port,
    vendor: v.vendor,
    ...(v.secretEnv
      ? { secretEnv: v.secretEnv }
      : { secretSealed: await sealJson(db.crypto.aes, v.secret, secretAad(id)) }),
    options: v.options,
    cities: v.cities,
    createdAt: db.now().toISOString(),
  };
  const op = db.kv.atomic().check({ key: keys.nas(id), versionstamp: null }).set(keys.nas(id), nas);
  addAudit(db, op, `nas:${id}`, "nas.saved", actor, {
    name: nas.name,
    host: nas.host,
    port: nas.port,
    vendor: nas.vendor,
  });
  await op.commit();
  return publicNas(nas);
}

export async function deleteNas(db: Db, id: string, actor: Actor) {
  const e = await db.kv.get<Nas>(keys.nas(id));
  if (!e.value) throw new NotFoundError("NAS não encontrado.");
  const op = db.kv.atomic().check(e).delete(keys.nas(id));
  addAudit(db, op, `nas:${id}`, "nas.deleted", actor, { name: e.value.name });
  await op.commit();
}

export function publicNas(n: Nas): PublicNas {
  const { secretSealed: _, ...rest } = n;
  return { ...rest, secretFrom: n.secretEnv ? "env" : "sealed" };
}

export async function listNas(db: Db): Promise<Nas[]> {
  const out: Nas[] = [];
  for await (const e of db.kv.list<Nas>({ prefix: keys.nasList() })) out.push(e.value);
  return out;
}

/** The shared secret, opened only to send a packet; null when its variable is unset. */
export async function nasSecret(db: Db, n: Nas): Promise<string | null> {
  if (n.secretEnv) return Deno.env.get(n.secretEnv) || null;
  return n.secretSealed
    ? await openJson<string>(db.crypto.aes, n.secretSealed, secretAad(n.id))
    : null;
}

/** The NAS for a customer's city: the one listing it, else the only one without cities. */
export function nasForCity(all: Nas[], city: string): Nas | null {
  const norm = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  return all.find((n) => n.cities.some((c) => norm(c) === norm(city))) ??
    (all.filter((n) => n.cities.length === 0).length === 1
      ? all.find((n) => n.cities.length === 0)!
      : null);
}
