// deno task password USUÁRIO — sets a staff account's password from the command line, for when
// nobody can sign in as admin (ADMIN_PASSWORD only counts on the first start, on an empty
// store). Same rules as the admin page: the password policy (services/users.ts), an audit event
// (user.password_reset, by "deno task password"), and the account's open sessions ended.
// The password is typed twice without echo, or read from the first line of stdin when piped
// (`printf '%s\n' "$NOVA" | deno task password admin`); it is never printed or logged.
import { systemActor } from "../domain/actor.ts";
import { loadConfig } from "../app.config.ts";
import { openDb } from "../services/db.ts";
import { findUserByUsername, resetPassword } from "../services/users.ts";
import { ValidationError } from "../services/errors.ts";

const CLI_ACTOR = systemActor("deno task password");

async function readLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (text.includes("\n") || text.length > 1000) break;
  }
  return text.split(/\r?\n/)[0];
}

/** Reads one line from the terminal in raw mode, so nothing typed is echoed. */
async function askHidden(question: string): Promise<string> {
  const enc = new TextEncoder();
  await Deno.stderr.write(enc.encode(question));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buf = new Uint8Array(64);
  try {
    outer: while (true) {
      const n = await Deno.stdin.read(buf);
      if (n === null) break;
      for (const b of buf.subarray(0, n)) {
        if (b === 3) { // Ctrl-C
          Deno.stdin.setRaw(false);
          await Deno.stderr.write(enc.encode("\n"));
          Deno.exit(130);
        }
        if (b === 13 || b === 10) break outer;
        if (b === 127 || b === 8) bytes.pop();
        else bytes.push(b);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stderr.write(enc.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

async function readPassword(): Promise<string> {
  if (!Deno.stdin.isTerminal()) return await readLine(Deno.stdin.readable);
  const first = await askHidden("Nova senha (não aparece ao digitar): ");
  const again = await askHidden("Repita a nova senha: ");
  if (first !== again) {
    console.error("As duas senhas não conferem. Nada foi alterado.");
    Deno.exit(1);
  }
  return first;
}

const username = Deno.args.find((a) => !a.startsWith("--"));
if (!username) {
  console.error("Uso: deno task password USUÁRIO   (ex.: deno task password admin)");
  Deno.exit(2);
}
const config = loadConfig();
const db = await openDb({ path: config.kvPath || undefined, dataKey: config.dataKey });
let code = 0;
try {
  const user = await findUserByUsername(db, username);
  if (!user) {
    console.error(`Usuário não encontrado: ${username}. Nada foi alterado.`);
    code = 1;
  } else {
    await resetPassword(db, user.id, await readPassword(), CLI_ACTOR);
    console.log(
      `Senha de ${user.username} alterada; as sessões abertas dessa conta foram encerradas.`,
    );
  }
} catch (e) {
  if (!(e instanceof ValidationError)) throw e;
  console.error(`Senha recusada: ${e.message} Nada foi alterado.`);
  code = 1;
} finally {
  db.kv.close();
}
Deno.exit(code);
