// Entry point: read settings, open KV, migrate, seed demo data on an empty store, serve.
import { ConfigError, loadConfig } from "./app.config.ts";
import { openDb } from "./services/db.ts";
import { migrate } from "./services/migrations.ts";
import { ignoredPasswordEnvNotice, seedIfEmpty } from "./services/seed.ts";
import { createApp } from "./lib/app.ts";
import { scheduleDailyJobs } from "./services/ops/daily_jobs.ts";
import { loadSigner } from "./services/contract/signer.ts";
import { startMessaging } from "./services/messaging/mod.ts";
import { startErpBridge } from "./services/erp/schedule.ts";

export async function start(env: Record<string, string | undefined> = Deno.env.toObject()) {
  const config = loadConfig(env);
  const db = await openDb({ path: config.kvPath || undefined, dataKey: config.dataKey });
  await migrate(db);
  let seeded = false;
  if (config.seedDemo) {
    const seed = await seedIfEmpty(db, env);
    seeded = seed.seeded;
    if (seed.seeded) {
      console.log("Dados de demonstração criados. Acessos (mostrados só agora):");
      for (const cr of seed.credentials) {
        console.log(
          `  ${cr.role.padEnd(10)} ${cr.username.padEnd(12)} ${
            cr.fromEnv ? "(senha do ambiente)" : cr.password
          }`,
        );
      }
    }
  }
  // ADMIN_PASSWORD & co. on a store that already has accounts change nothing: say so.
  const notice = ignoredPasswordEnvNotice(env, seeded);
  if (notice) console.warn(notice);
  // The seal's certificate: the configured one, or a self-signed demo one made now (first start).
  await loadSigner(db, config.signingP12, {
    name: config.provider.name,
    cnpj: config.provider.cnpj,
  });
  const app = createApp(db, config);
  const stopRetention = scheduleDailyJobs(db, {
    photoRetentionDays: config.photoRetentionDays,
    caseExpireDays: config.caseExpireDays,
    messageRetentionDays: config.messageRetentionDays,
    codeRetentionDays: config.codeRetentionDays,
    auditPiiRetentionDays: config.auditPiiRetentionDays,
    // The campaign planner (services/campaigns/) opens the day's cases as the system.
    campaigns: {
      db,
      provider: config.provider,
      providerName: config.provider.name,
      baseUrl: config.origin ?? `http://localhost:${config.port}`,
      linkTtlDays: config.linkTtlDays,
      signingP12: config.signingP12,
    },
    pixAuto: config.pixAuto && {
      settings: config.pixAuto,
      baseUrl: config.origin ?? `http://localhost:${config.port}`,
    },
  });
  // Message delivery (KV queue + periodic scan) starts once the app exists.
  const messaging = startMessaging(db, config.messaging);
  // The ERP bridge (services/erp): a no-op without IXC_URL/IXC_TOKEN.
  const erp = await startErpBridge(db, config.erp);
  const server = Deno.serve(
    {
      port: config.port,
      onListen: ({ port }) => console.log(`Renova em http://localhost:${port}`),
    },
    (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
  );
  /** Stops background work; the promise settles once jobs in flight have finished. */
  const stopJobs = async () => {
    await Promise.all([stopRetention(), messaging.stop(), erp.stop()]);
  };
  return { server, db, app, config, messaging, stopJobs };
}

/** SIGINT/SIGTERM: finish the messages being sent, stop serving, close the store. */
function stopOnSignals(running: Awaited<ReturnType<typeof start>>) {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await running.stopJobs();
    await running.server.shutdown();
    running.db.kv.close();
    Deno.exit(0);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(sig, shutdown);
    } catch { /* a platform without this signal */ }
  }
}

if (import.meta.main) {
  try {
    stopOnSignals(await start());
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuração inválida: ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
}
