// One mapping from errors to responses. Clients get a pt-BR message and a status, never a
// stack trace; unexpected errors are logged with the request id so they can be found.
import type { Ctx } from "./route.ts";
import { AppError, RateLimitError, ValidationError } from "../services/errors.ts";
import { page } from "./render.tsx";
import { wantsJson } from "./security.ts";
import { ErrorBox } from "../components/Form.tsx";

export function errorResponse(err: Error, c: Ctx): Response {
  const known = err instanceof AppError;
  const status = known ? err.status : 500;
  const message = known ? err.message : "Não foi possível concluir. Tente de novo em instantes.";
  if (!known) {
    console.error(JSON.stringify({
      level: "error",
      id: c.get("requestId"),
      route: c.get("routePath") ?? c.req.path,
      error: String(err?.stack ?? err),
    }));
  }
  if (err instanceof RateLimitError) c.header("Retry-After", String(err.retryAfterSeconds));
  const fields = err instanceof ValidationError ? err.fields : undefined;
  if (wantsJson(c) || c.req.header("x-requested-with") === "fetch") {
    return c.json({ error: message, fields }, status as 400);
  }
  const title = status === 404
    ? "Página não encontrada"
    : status === 403
    ? "Acesso negado"
    : "Algo deu errado";
  return page(
    c,
    { title, status, nav: true },
    <section class="max-w-lg mx-auto mt-10 bg-white rounded shadow p-6">
      <h1 class="text-2xl font-bold mb-4">{title}</h1>
      <ErrorBox message={message} />
      {fields && (
        <ul class="list-disc pl-6 mb-4 text-red-800">
          {Object.values(fields).map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
      <a class="text-brand-700 underline" href={c.get("user") ? "/app" : "/"}>Voltar ao início</a>
    </section>,
  );
}
