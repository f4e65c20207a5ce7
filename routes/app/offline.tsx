// The app shell the service worker keeps for offline use: no data of its own; the island reads
// the attendant's queue and opened cases from IndexedDB by the URL the browser asked for.
import { define, STAFF } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import OfflineQueue from "../../islands/OfflineQueue.tsx";

export default define({
  access: STAFF,
  GET: (c) => {
    const u = c.get("user")!;
    return page(c, { title: "Sem conexão" }, <OfflineQueue userId={u.id} role={u.role} />);
  },
});
