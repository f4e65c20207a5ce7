// Demo data for an empty store: 6 fibre plans, 60 customers in a few cities with contracts
// whose loyalty ends across the next 90 days, one admin, one supervisor and two attendants.
// Passwords come from env or are generated and returned once for the console.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { createPlan, type NewPlan } from "./plans.ts";
import { createCustomer } from "./customers.ts";
import { createContract } from "./contracts.ts";
import { createUser } from "./users.ts";
import type { Role } from "../domain/actor.ts";
import { randomPassword } from "./passwords.ts";
import { SYSTEM } from "../domain/actor.ts";
import { generateCpf } from "./billing/documents.ts";
import { addDays, addMonths, todayInBrazil } from "./dates.ts";

export const DEMO_PLANS: NewPlan[] = [
  [300, 150, 9990, "Instalação grátis", 30000, "FIBRA300-26"],
  [400, 200, 10990, "Instalação grátis", 30000, "FIBRA400-26"],
  [500, 250, 11990, "Instalação grátis + roteador Wi-Fi 6", 45000, "FIBRA500-26"],
  [600, 300, 12990, "Instalação grátis + roteador Wi-Fi 6", 45000, "FIBRA600-26"],
  [800, 400, 14990, "Instalação grátis + roteador Wi-Fi 6 + 1 mês grátis", 60000, "FIBRA800-26"],
  [1000, 500, 17990, "Instalação grátis + Wi-Fi 6 mesh + 1 mês grátis", 80000, "GIGA1000-26"],
].map(([down, up, price, benefit, value, code]) => ({
  name: `Fibra ${Number(down) >= 1000 ? "1 Giga" : `${down} Mega`}`,
  downMbps: Number(down),
  upMbps: Number(up),
  priceCents: Number(price),
  loyaltyMonths: 12,
  benefit: String(benefit),
  benefitValueCents: Number(value),
  offerCode: String(code),
}));

const CITIES = [
  { city: "Campinas", state: "SP", ddd: "19", zip: "13010", districts: ["Cambuí", "Taquaral"] },
  {
    city: "Ribeirão Preto",
    state: "SP",
    ddd: "16",
    zip: "14010",
    districts: ["Centro", "Jardim Irajá"],
  },
  {
    city: "Londrina",
    state: "PR",
    ddd: "43",
    zip: "86010",
    districts: ["Gleba Palhano", "Centro"],
  },
  {
    city: "Uberlândia",
    state: "MG",
    ddd: "34",
    zip: "38400",
    districts: ["Santa Mônica", "Tibery"],
  },
  {
    city: "Feira de Santana",
    state: "BA",
    ddd: "75",
    zip: "44001",
    districts: ["Centro", "Kalilândia"],
  },
];
const FIRST = [
  "Ana",
  "João",
  "Maria",
  "José",
  "Francisca",
  "Antônio",
  "Luíza",
  "Carlos",
  "Patrícia",
  "Paulo",
  "Fernanda",
  "Lucas",
  "Juliana",
  "Marcos",
  "Aline",
  "Rafael",
  "Camila",
  "Thiago",
  "Letícia",
  "Sérgio",
];
const LAST = [
  "Silva",
  "Santos",
  "Oliveira",
  "Souza",
  "Lima",
  "Pereira",
  "Ferreira",
  "Costa",
  "Rodrigues",
  "Almeida",
  "Nascimento",
  "Araújo",
  "Gonçalves",
  "Ribeiro",
  "Conceição",
];
const STREETS = [
  "Rua das Flores",
  "Avenida Brasil",
  "Rua XV de Novembro",
  "Rua São João",
  "Avenida Paulista",
];

function pick<T>(list: T[], rand: () => number): T {
  return list[Math.floor(rand() * list.length)];
}

function stripAccents(s: string) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

export interface SeedResult {
  seeded: boolean;
  credentials: { username: string; role: Role; password: string; fromEnv: boolean }[];
}

/** The variables that set the demo accounts' passwords, read only when the store is seeded. */
export const STAFF_PASSWORD_ENV = [
  "ADMIN_PASSWORD",
  "SUPERVISOR_PASSWORD",
  "ATTENDANT1_PASSWORD",
  "ATTENDANT2_PASSWORD",
] as const;

/**
 * The start's warning when password variables are set but the store was not seeded now (it
 * already had accounts, or SEED_DEMO is off): they changed nothing, and the way to change a
 * password. Names the variables only, never their values. Null when there is nothing to say.
 */
export function ignoredPasswordEnvNotice(
  env: Record<string, string | undefined>,
  seeded: boolean,
): string | null {
  if (seeded) return null;
  const set = STAFF_PASSWORD_ENV.filter((name) => !!env[name]);
  if (!set.length) return null;
  const names = set.join(", ");
  return `Aviso: ${names} ignorada(s): o banco já tem contas (ou SEED_DEMO=false), e essas ` +
    "variáveis só valem na primeira partida, com o banco vazio. Nenhuma senha foi alterada. " +
    "Para trocar uma senha: deno task password USUÁRIO (ou Administração → Usuários). " +
    `/ Notice: ${names} ignored: the store already has accounts; these only apply on the ` +
    "first start with an empty store. No password was changed. To reset one: " +
    "deno task password USERNAME.";
}

export async function seedIfEmpty(
  db: Db,
  env: Record<string, string | undefined> = {},
  rand: () => number = Math.random,
): Promise<SeedResult> {
  // Claim the seed marker first, so two processes starting together never seed twice.
  const claim = await db.kv.atomic().check({ key: keys.seeded(), versionstamp: null })
    .set(keys.seeded(), { at: db.now().toISOString(), done: false }).commit();
  if (!claim.ok) return { seeded: false, credentials: [] };

  const plans = [];
  for (const p of DEMO_PLANS) plans.push(await createPlan(db, p));

  const today = todayInBrazil(db.now());
  for (let i = 0; i < 60; i++) {
    const place = CITIES[i % CITIES.length];
    const name = `${pick(FIRST, rand)} ${pick(LAST, rand)} ${pick(LAST, rand)}`;
    const mobile = `55${place.ddd}9${String(Math.floor(rand() * 1e8)).padStart(8, "0")}`;
    const customer = await createCustomer(db, {
      name,
      cpf: generateCpf(rand),
      phones: i % 3 === 0 ? [mobile, `55${place.ddd}3${String(i).padStart(7, "0")}`] : [mobile],
      email: `${stripAccents(name).toLowerCase().replace(/\s+/g, ".")}.${i}@exemplo.com.br`,
      address: {
        street: pick(STREETS, rand),
        number: String(10 + Math.floor(rand() * 1990)),
        district: pick(place.districts, rand),
        city: place.city,
        state: place.state,
        zip: `${place.zip}-${String(Math.floor(rand() * 1000)).padStart(3, "0")}`,
      },
      erpId: `DEMO-${1000 + i}`,
    }, SYSTEM);
    // Loyalty ends spread over the next 90 days (day 1 to 90).
    const loyaltyEnd = addDays(today, 1 + Math.floor((i * 90) / 60));
    const loyaltyStart = addMonths(loyaltyEnd, -12);
    await createContract(db, {
      customerId: customer.id,
      planId: plans[Math.floor(rand() * 4)].id,
      city: place.city,
      startDate: addMonths(loyaltyStart, -Math.floor(rand() * 24)),
      loyaltyStart,
      loyaltyEnd,
      erpId: `DEMO-C-${1000 + i}`,
    }, SYSTEM);
  }

  const staff: { username: string; name: string; role: Role; env: string }[] = [
    { username: "admin", name: "Administração", role: "admin", env: STAFF_PASSWORD_ENV[0] },
    {
      username: "supervisora",
      name: "Sandra Supervisora",
      role: "supervisor",
      env: STAFF_PASSWORD_ENV[1],
    },
    {
      username: "atendente1",
      name: "Bruna Atendente",
      role: "attendant",
      env: STAFF_PASSWORD_ENV[2],
    },
    {
      username: "atendente2",
      name: "Diego Atendente",
      role: "attendant",
      env: STAFF_PASSWORD_ENV[3],
    },
  ];
  const credentials: SeedResult["credentials"] = [];
  for (const s of staff) {
    const fromEnv = !!env[s.env];
    const password = env[s.env] || randomPassword();
    await createUser(db, { username: s.username, name: s.name, role: s.role, password }, SYSTEM);
    credentials.push({ username: s.username, role: s.role, password, fromEnv });
  }
  await db.kv.set(keys.seeded(), { at: db.now().toISOString(), done: true });
  return { seeded: true, credentials };
}
