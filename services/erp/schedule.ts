// The bridge in the server: writes are pushed every minute (and right after start), the ERP is
// pulled every ERP_PULL_MINUTES under a lease, so several app processes pull once.
import type { Db } from "../db.ts";
import { type Actor, systemActor } from "../../domain/actor.ts";
import { withLease } from "../leases.ts";
import { adapterFor, type ErpSettings, saveErpSwitch } from "./settings.ts";
import { pushErpWrites } from "./push.ts";
import { pullFromErp } from "./pull.ts";

export async function startErpBridge(db: Db, s: ErpSettings | undefined) {
  await saveErpSwitch(db, s);
  if (!s) return { stop: () => Promise.resolve() };
  const adapter = adapterFor(s);
  const running = new Map<string, Promise<unknown>>();
  // One push and one pull at a time in this process; a tick that finds one running skips.
  const once = (what: string, fn: () => Promise<unknown>) => {
    if (running.has(what)) return;
    running.set(
      what,
      fn().catch((e) => console.error(`erp ${what}: ${(e as Error).message}`))
        .finally(() => running.delete(what)),
    );
  };
  const push = () => once("push", () => pushErpWrites(db, adapter, { leaseMs: s.pushLeaseMs }));
  const pull = () =>
    once(
      "pull",
      () =>
        withLease(db, "erp:pull", 10 * 60_000, () =>
          pullFromErp(db, adapter, { actor: systemActor("erp-pull") })),
    );
  const timers = [setInterval(push, 60_000)];
  if (s.pullEveryMinutes > 0) timers.push(setInterval(pull, s.pullEveryMinutes * 60_000));
  push();
  return {
    stop: async () => {
      timers.forEach(clearInterval);
      await Promise.all(running.values());
    },
  };
}

const inFlight = new Map<string, Promise<unknown>>();

/**
 * An admin asks for a pull or a push now: it runs in the background (a pull can take minutes;
 * its progress shows on the import page). "busy" when one is already running here.
 */
export function runNow(
  db: Db,
  s: ErpSettings,
  what: "pull" | "push",
  actor: Actor,
): "started" | "busy" {
  if (inFlight.has(what)) return "busy";
  const adapter = adapterFor(s);
  const job = what === "pull"
    ? withLease(db, "erp:pull", 10 * 60_000, () => pullFromErp(db, adapter, { actor }))
    : pushErpWrites(db, adapter, { leaseMs: s.pushLeaseMs });
  inFlight.set(
    what,
    job.catch((e) => console.error(`erp ${what}: ${(e as Error).message}`))
      .finally(() => inFlight.delete(what)),
  );
  return "started";
}

/** Tests: wait for what runNow started. */
export async function settled(): Promise<void> {
  await Promise.all(inFlight.values());
}
