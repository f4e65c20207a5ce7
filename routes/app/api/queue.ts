// The attendant's queue as JSON, kept in the browser's IndexedDB for offline reading.
import { define, STAFF } from "../../../lib/route.ts";
import { offlineQueue } from "../../../services/offline_sync.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    const me = c.get("user")!;
    const q = await offlineQueue(c.get("db"), me, c.get("config").renewalWindowDays);
    return c.json({ userId: me.id, at: c.get("db").now().toISOString(), ...q });
  },
});
