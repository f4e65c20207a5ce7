import { ADMINS, type Ctx, define } from "../../../lib/route.ts";
import { formFields, page } from "../../../lib/render.tsx";
import { createUser, listUsers, ROLE_LABELS } from "../../../services/users.ts";
import { ROLES } from "../../../domain/actor.ts";
import { ValidationError } from "../../../services/errors.ts";
import { Button, CsrfField, ErrorBox, Field, Notice } from "../../../components/Form.tsx";
import { actorOf } from "../../../lib/actor.ts";

async function usersPage(
  c: Ctx,
  opts: { status?: number; errors?: Record<string, string>; values?: Record<string, string> } = {},
) {
  const users = await listUsers(c.get("db"));
  const csrf = c.get("session")?.csrf;
  const ok = c.req.query("ok");
  const v = opts.values ?? {};
  return page(
    c,
    { title: "Usuários", status: opts.status },
    <section class="grid gap-6 md:grid-cols-3">
      <div class="md:col-span-2">
        <h1 class="text-2xl font-bold mb-4">Usuários</h1>
        <Notice message={ok === "created" ? "Usuário criado." : ok ? "Usuário atualizado." : ""} />
        <ul class="bg-white rounded shadow divide-y">
          {users.map((u) => (
            <li key={u.id} class="p-3" data-testid="user-row">
              <div class="flex flex-wrap items-center gap-2">
                <span class="font-medium">{u.name}</span>
                <span class="text-gray-700">@{u.username}</span>
                <span class="text-sm bg-gray-100 rounded px-2">{ROLE_LABELS[u.role]}</span>
                <span class={`text-sm ${u.active ? "text-green-700" : "text-red-700"}`}>
                  {u.active ? "Ativo" : "Inativo"}
                </span>
              </div>
              <div class="flex flex-wrap gap-2 mt-2">
                <form method="post" action={`/admin/users/${u.id}`}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="action" value={u.active ? "deactivate" : "activate"} />
                  <Button variant={u.active ? "danger" : "secondary"}>
                    {u.active ? "Desativar" : "Reativar"}
                  </Button>
                </form>
                <form method="post" action={`/admin/users/${u.id}`} class="flex gap-2 items-end">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="action" value="reset" />
                  <label class="text-sm">
                    <span class="sr-only">Nova senha ({u.username})</span>
                    <input
                      name="password"
                      type="password"
                      autocomplete="new-password"
                      placeholder="Nova senha"
                      class="rounded border border-gray-400 px-2 py-2"
                    />
                  </label>
                  <Button variant="secondary">Redefinir senha</Button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      </div>
      <form method="post" action="/admin/users" class="bg-white rounded shadow p-4 h-fit">
        <h2 class="text-lg font-bold mb-3">Criar usuário</h2>
        <ErrorBox message={opts.errors ? "Verifique os campos destacados." : ""} />
        <CsrfField token={csrf} />
        <Field
          name="name"
          label="Nome"
          value={v.name}
          error={opts.errors?.name}
          required
        />
        <Field
          name="username"
          label="Usuário"
          value={v.username}
          error={opts.errors?.username}
          required
        />
        <div class="mb-4">
          <label for="f-role" class="block text-sm font-medium mb-1">Perfil</label>
          <select id="f-role" name="role" class="w-full rounded border border-gray-400 px-3 py-2">
            {ROLES.map((r) => (
              <option key={r} value={r} selected={v.role === r}>{ROLE_LABELS[r]}</option>
            ))}
          </select>
          {opts.errors?.role && <p class="text-sm text-red-700 mt-1">{opts.errors.role}</p>}
        </div>
        <Field
          name="password"
          label="Senha inicial"
          type="password"
          autocomplete="new-password"
          error={opts.errors?.password}
          required
        />
        <Button>Criar usuário</Button>
      </form>
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => usersPage(c),
  POST: async (c) => {
    const f = await formFields(c);
    try {
      await createUser(c.get("db"), f, actorOf(c));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return usersPage(c, { status: 400, errors: e.fields, values: f });
    }
    return c.redirect("/admin/users?ok=created", 303);
  },
});
