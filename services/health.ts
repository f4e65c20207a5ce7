import type { Db } from "./db.ts";
import { keys } from "./keys.ts";

/** True when KV answers a read. */
export async function checkHealth(db: Db): Promise<boolean> {
  try {
    await db.kv.get(keys.schemaVersion());
    return true;
  } catch {
    return false;
  }
}
