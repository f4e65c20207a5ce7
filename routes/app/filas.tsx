import { type Ctx, define, STAFF } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { readForm } from "../../lib/form.ts";
import { staffCtx } from "../../lib/staff.ts";
import { ValidationError } from "../../services/errors.ts";
import {
  activeAttendants,
  distributeNow,
  queuesOf,
  reassignCases,
  rebalanceQueues,
  rulesFromForm,
  saveQueueRules,
  teamQueues,
} from "../../services/renewals/queues.ts";
import { MyQueues, TeamQueues } from "../../components/queues/QueuesPage.tsx";
import { formatCount } from "../../domain/format.ts";

const NOTICES: Record<string, string> = {
  rules: "Regras salvas.",
  rebalance: "Filas rebalanceadas.",
};

async function queuesPage(
  c: Ctx,
  opts: { status?: number; errors?: Record<string, string>; notice?: string } = {},
) {
  const user = c.get("user")!;
  const db = c.get("db");
  if (user.role === "attendant") {
    return page(
      c,
      { title: "Minhas filas" },
      <div class="grid gap-4">
        <h1 class="text-2xl font-bold">Minhas filas</h1>
        <MyQueues view={await queuesOf(db, user.id)} />
      </div>,
    );
  }
  return page(
    c,
    { title: "Filas", status: opts.status },
    <div class="grid gap-4">
      <h1 class="text-2xl font-bold">Filas de trabalho</h1>
      <TeamQueues
        data={await teamQueues(db)}
        csrf={c.get("session")?.csrf}
        errors={opts.errors}
        notice={opts.notice}
      />
    </div>,
  );
}

// Attendants see their own queues; the actions are the supervision's (the verbs refuse others).
export default define({
  access: STAFF,
  GET: (c) => {
    const ok = c.req.query("ok") ?? "";
    const n = c.req.query("n");
    const notice = ok === "distribute" || ok === "reassign"
      ? `${formatCount(Number(n) || 0)} caso(s) atribuído(s).`
      : NOTICES[ok];
    return queuesPage(c, { notice });
  },
  POST: async (c) => {
    const ctx = staffCtx(c);
    try {
      const body = await readForm(c, { all: true });
      const first = (v: unknown) => [v].flat().find((x) => typeof x === "string") as string;
      const f: Record<string, string> = {};
      for (const [k, v] of Object.entries(body)) if (first(v) !== undefined) f[k] = first(v);
      let n = 0;
      if (f.action === "rules") {
        await saveQueueRules(ctx, rulesFromForm(f, await activeAttendants(ctx.db)));
      } else if (f.action === "distribute") {
        n = (await distributeNow(ctx)).assigned;
      } else if (f.action === "rebalance") {
        n = (await rebalanceQueues(ctx)).moved;
      } else if (f.action === "reassign") {
        const ids = [body.caseId ?? []].flat().filter((v): v is string => typeof v === "string");
        n = (await reassignCases(ctx, ids, f.userId ?? "")).moved;
      } else {
        throw new ValidationError({ action: "Ação desconhecida." });
      }
      return c.redirect(`/app/filas?ok=${f.action}&n=${n}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return await queuesPage(c, { status: 400, errors: e.fields });
    }
  },
});
