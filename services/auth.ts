// Staff sign-in: rate limited per account and per IP, constant work for unknown users, a fresh
// session on success.
import type { Db } from "./db.ts";
import { findUserByUsername, normalizeUsername, type User } from "./users.ts";
import { dummyHash, verifyPassword } from "./passwords.ts";
import { createSession, type SessionPolicy } from "./sessions.ts";
import { assertUnderLimit, hit, type Limit, resetLimit } from "./rate_limit.ts";
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
  await assertUnderLimit(db, "login_ip", input.ip, IP_LIMIT);
  await assertUnderLimit(db, "login_account", username, ACCOUNT_LIMIT);
  const user: User | null = await findUserByUsername(db, username);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? dummyHash());
  if (!user || !ok) {
    await hit(db, "login_ip", input.ip, IP_LIMIT);
    await hit(db, "login_account", username, ACCOUNT_LIMIT);
    throw new SignInError("Usuário ou senha incorretos.");
  }
  if (!user.active) throw new SignInError("Esta conta está desativada. Fale com o administrador.");
  await resetLimit(db, "login_account", username);
  const { token, session } = await createSession(db, user.id, policy, {
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300),
  });
  return { token, session, user };
}
