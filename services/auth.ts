// Staff sign-in: rate limited per account and per IP, constant work for unknown users, a fresh
// session on success.
import type { Db } from "./db.ts";
import { findUserByUsername, normalizeUsername, type User } from "./users.ts";
import { dummyHash, verifyPassword } from "./passwords.ts";
import { createSession, type SessionPolicy } from "./sessions.ts";
import { type Charge, type Limit, release, resetLimit, take } from "./rate_limit.ts";
import { AppError, ValidationError } from "./errors.ts";

export const ACCOUNT_LIMIT: Limit = { max: 5, windowMs: 15 * 60_000 };
export const IP_LIMIT: Limit = { max: 30, windowMs: 15 * 60_000 };
const USERNAME_MAX = 64;

export class SignInError extends AppError {
  override status = 401;
}

export interface SignInInput {
  username: string;
  password: string;
  ip: string;
  userAgent?: string;
}

export async function signIn(db: Db, input: SignInInput, policy: SessionPolicy) {
  const username = normalizeUsername(input.username ?? "");
  if (!username || !input.password) {
    throw new ValidationError({
      ...(!username ? { username: "Informe o usuário." } : {}),
      ...(!input.password ? { password: "Informe a senha." } : {}),
    });
  }
  // No account has a longer name (users.ts allows 32): refused before it reaches a KV key.
  if (username.length > USERNAME_MAX) throw new SignInError("Usuário ou senha incorretos.");
  const ip: Charge = { scope: "login_ip", subject: input.ip, limit: IP_LIMIT };
  // The guess is counted BEFORE the password is checked: a parallel burst cannot pass a
  // check-then-count gap, and past the limit nothing is compared at all (429).
  await take(db, [ip, { scope: "login_account", subject: username, limit: ACCOUNT_LIMIT }]);
  const user: User | null = await findUserByUsername(db, username);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? dummyHash());
  if (!user || !ok) throw new SignInError("Usuário ou senha incorretos.");
  if (!user.active) throw new SignInError("Esta conta está desativada. Fale com o administrador.");
  // A right password was no guess: the account starts afresh, the address gets its use back.
  await resetLimit(db, "login_account", username);
  await release(db, [ip]);
  const { token, session } = await createSession(db, user.id, policy, {
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300),
  });
  return { token, session, user };
}
