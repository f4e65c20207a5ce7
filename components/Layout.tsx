import type { ComponentChildren } from "preact";
import { type PublicUser, ROLE_LABELS } from "../services/users.ts";
import SyncAgent from "../islands/SyncAgent.tsx";
import OfflineOutbox from "../islands/OfflineOutbox.tsx";
import { assetUrl } from "../lib/assets.ts";

interface Props {
  title: string;
  user?: PublicUser;
  csrf?: string;
  /** The session's absolute expiry (ms): the device's data is wiped when it passes. */
  sessionEndsAt?: number;
  path: string;
  children: ComponentChildren;
}

/** The HTML shell of every page: pt-BR, mobile viewport, skip link, staff navigation. */
export function Layout({ title, user, csrf, sessionEndsAt, path, children }: Props) {
  const navLink = (href: string, label: string) => (
    <a
      href={href}
      class={`px-3 py-2 rounded focus:outline-none focus:ring-2 focus:ring-white ${
        path.startsWith(href) ? "bg-brand-800 font-semibold" : "hover:bg-brand-700"
      }`}
      aria-current={path.startsWith(href) ? "page" : undefined}
    >
      {label}
    </a>
  );
  return (
    <html lang="pt-BR">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0f766e" />
        <title>{`${title} · Renova`}</title>
        <link rel="icon" href="/favicon.ico" />
        {/* The installable attendant app: staff pages only, never the customer's. */}
        {user && <link rel="manifest" href="/manifest.webmanifest" />}
        {user && <link rel="apple-touch-icon" href={assetUrl("icons/icon-192.png")} />}
      </head>
      <body class="min-h-screen bg-gray-50 text-gray-900 font-sans antialiased">
        <a
          href="#main"
          class="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 bg-white p-2 rounded"
        >
          Pular para o conteúdo
        </a>
        {user && (
          <header class="bg-brand-600 text-white">
            <nav
              class="max-w-6xl mx-auto flex flex-wrap items-center gap-2 px-4 py-2"
              aria-label="Principal"
            >
              <span class="font-bold text-lg mr-4">Renova</span>
              {navLink("/app", "Renovações")}
              {user.role !== "attendant" && navLink("/app/painel", "Painel")}
              {navLink("/app/filas", "Filas")}
              {user.role === "admin" && navLink("/admin/users", "Usuários")}
              {user.role === "admin" && navLink("/admin/contract", "Contrato")}
              {user.role === "admin" && navLink("/admin/plans", "Planos")}
              {user.role === "admin" && navLink("/admin/billing", "Cobrança")}
              {user.role === "admin" && navLink("/admin/import", "Importação")}
              {user.role === "admin" && navLink("/admin/erp", "ERP")}
              {user.role === "admin" && navLink("/admin/messages", "Mensagens")}
              {user.role === "admin" && navLink("/admin/campaigns", "Campanhas")}
              {user.role === "admin" && navLink("/admin/outbox", "Caixa de saída")}
              {user.role === "admin" && navLink("/admin/dead-letters", "Falhas de envio")}
              {user.role === "admin" && navLink("/admin/network", "Rede")}
              <span class="ml-auto text-sm" data-testid="whoami">
                {user.name} · {ROLE_LABELS[user.role]}
              </span>
              <form method="post" action="/logout">
                <input type="hidden" name="_csrf" value={csrf} />
                <button
                  type="submit"
                  class="px-3 py-2 rounded hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-white"
                >
                  Sair
                </button>
              </form>
            </nav>
          </header>
        )}
        {user && <SyncAgent userId={user.id} sessionEndsAt={sessionEndsAt ?? 0} />}
        <main id="main" class="max-w-6xl mx-auto p-4">
          {user && <OfflineOutbox />}
          {children}
        </main>
      </body>
    </html>
  );
}
