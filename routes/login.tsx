import { define } from "../lib/route.ts";
import { formFields, page } from "../lib/render.tsx";
import type { Ctx } from "../lib/route.ts";
import { clearSessionCookie, sessionPolicy, setSessionCookie } from "../lib/security.ts";
import { signIn } from "../services/auth.ts";
import { destroySession } from "../services/sessions.ts";
import { AppError, RateLimitError, ValidationError } from "../services/errors.ts";
import { Button, ErrorBox, Field } from "../components/Form.tsx";
import PasswordField from "../islands/PasswordField.tsx";
import OfflineWipe from "../islands/OfflineWipe.tsx";

/** Only same-site paths: an open redirect would turn the login page into a phishing aid. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) && !next.startsWith("/login") ? next : "/app";
}

function loginPage(
  c: Ctx,
  opts: { status?: number; error?: string; username?: string; next?: string } = {},
) {
  return page(
    c,
    { title: "Entrar", status: opts.status, nav: false },
    <section class="max-w-sm mx-auto mt-12 bg-white rounded-lg shadow p-6">
      <p class="text-brand-700 font-bold text-xl">Renova</p>
      <h1 class="text-2xl font-bold mb-6">Entrar</h1>
      <OfflineWipe />
      <ErrorBox message={opts.error} />
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="next" value={safeNext(opts.next)} />
        <Field
          name="username"
          label="Usuário"
          value={opts.username}
          required
          autocomplete="username"
        />
        <PasswordField
          name="password"
          label="Senha"
          showLabel="Mostrar senha"
          hideLabel="Ocultar senha"
        />
        <Button>Entrar</Button>
      </form>
    </section>,
  );
}

export default define({
  access: "public",
  GET: (c) => {
    if (c.get("user")) return c.redirect(safeNext(c.req.query("next")));
    return loginPage(c, { next: c.req.query("next") });
  },
  POST: async (c) => {
    const f = await formFields(c);
    try {
      const { token } = await signIn(c.get("db"), {
        username: f.username,
        password: f.password,
        ip: c.get("ip"),
        userAgent: c.req.header("user-agent"),
      }, sessionPolicy(c.get("config")));
      // A new session on every sign-in (no fixation): the old one, if any, is dropped.
      const old = c.get("sessionToken");
      if (old) await destroySession(c.get("db"), old);
      setSessionCookie(c, token);
      return c.redirect(safeNext(f.next), 303);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e instanceof RateLimitError) c.header("Retry-After", String(e.retryAfterSeconds));
      const error = e instanceof ValidationError ? Object.values(e.fields).join(" ") : e.message;
      clearSessionCookie(c);
      return loginPage(c, { status: e.status, error, username: f.username, next: f.next });
    }
  },
});
