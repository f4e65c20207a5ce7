// Staff accounts: admin, supervisor, attendant. Usernames are unique through an index created
// in the same atomic as the user.
import type { Db } from "./db.ts";
import { commitOrConflict } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { hashPassword } from "./passwords.ts";
import { addAudit } from "./audit.ts";
import { type Actor, type Role, ROLES } from "../domain/actor.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { revokeUserSessions } from "./sessions.ts";

/** How a role is named on the pages. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrador",
  supervisor: "Supervisor",
  attendant: "Atendente",
};

export interface User {
  id: string;
  username: string;
  name: string;
  role: Role;
  active: boolean;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export type PublicUser = Omit<User, "passwordHash">;

export function publicUser({ passwordHash: _, ...rest }: User): PublicUser {
  return rest;
}

export interface NewUser {
  username: string;
  name: string;
  role: string;
  password: string;
}

export function normalizeUsername(s: string): string {
  return s.trim().toLowerCase();
}

export function validateNewUser(input: Partial<NewUser>): NewUser & { role: Role } {
  const fields: Record<string, string> = {};
  const username = normalizeUsername(input.username ?? "");
  if (!/^[a-z0-9._-]{3,32}$/.test(username)) {
    fields.username = "Use de 3 a 32 letras minúsculas, números, ponto, hífen ou sublinhado.";
  }
  const name = (input.name ?? "").trim();
  if (name.length < 2 || name.length > 80) fields.name = "Informe o nome (2 a 80 caracteres).";
  if (!ROLES.includes(input.role as Role)) fields.role = "Escolha um perfil válido.";
  const password = input.password ?? "";
  if (password.length < 10 || password.length > 200) {
    fields.password = "A senha precisa ter pelo menos 10 caracteres.";
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { username, name, role: input.role as Role, password };
}

export async function createUser(db: Db, input: Partial<NewUser>, actor: Actor): Promise<User> {
  const v = validateNewUser(input);
  const now = db.now().toISOString();
  const user: User = {
    id: ulid(),
    username: v.username,
    name: v.name,
    role: v.role,
    active: true,
    passwordHash: await hashPassword(v.password),
    createdAt: now,
    updatedAt: now,
  };
  const op = db.kv.atomic()
    .check({ key: keys.user(user.id), versionstamp: null })
    .check({ key: keys.userByUsername(user.username), versionstamp: null })
    .set(keys.user(user.id), user)
    .set(keys.userByUsername(user.username), user.id);
  addAudit(db, op, `user:${user.id}`, "user.created", actor, { role: user.role });
  const res = await op.commit();
  if (!res.ok) throw new ValidationError({ username: "Este usuário já existe." });
  return user;
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  return (await db.kv.get<User>(keys.user(id))).value;
}

export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const idx = await db.kv.get<string>(keys.userByUsername(normalizeUsername(username)));
  return idx.value ? await getUser(db, idx.value) : null;
}

export async function listUsers(db: Db): Promise<User[]> {
  const out: User[] = [];
  for await (const e of db.kv.list<User>({ prefix: keys.users() })) out.push(e.value);
  return out.sort((a, b) => a.username.localeCompare(b.username));
}

/** Read, check the versionstamp, rewrite: the update rule every service follows. */
async function updateUser(
  db: Db,
  id: string,
  change: (u: User) => User,
  action: "user.activated" | "user.deactivated" | "user.password_reset",
  actor: Actor,
): Promise<User> {
  const entry = await db.kv.get<User>(keys.user(id));
  if (!entry.value) throw new NotFoundError("Usuário não encontrado.");
  const next = { ...change(entry.value), updatedAt: db.now().toISOString() };
  const op = db.kv.atomic().check(entry).set(keys.user(id), next);
  addAudit(db, op, `user:${id}`, action, actor);
  await commitOrConflict(op);
  return next;
}

export async function setUserActive(db: Db, id: string, active: boolean, actor: Actor) {
  if (actor.id === `user:${id}` && !active) {
    throw new ValidationError({ active: "Você não pode desativar a própria conta." });
  }
  const user = await updateUser(
    db,
    id,
    (u) => ({ ...u, active }),
    active ? "user.activated" : "user.deactivated",
    actor,
  );
  if (!active) await revokeUserSessions(db, id);
  return user;
}

export async function resetPassword(db: Db, id: string, password: string, actor: Actor) {
  if (password.length < 10 || password.length > 200) {
    throw new ValidationError({ password: "A senha precisa ter pelo menos 10 caracteres." });
  }
  const passwordHash = await hashPassword(password);
  const user = await updateUser(
    db,
    id,
    (u) => ({ ...u, passwordHash }),
    "user.password_reset",
    actor,
  );
  await revokeUserSessions(db, id);
  return user;
}
