import assert from "node:assert/strict";
import { ulid, ulidTime } from "../../services/ulid.ts";

Deno.test("ulid: 26 Crockford chars, sorts in creation order even within one millisecond", () => {
  const ids = Array.from({ length: 1000 }, () => ulid(1_700_000_000_000));
  for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  const later = ulid(1_700_000_000_001);
  assert.ok(later > ids[ids.length - 1]);
});

Deno.test("ulidTime decodes the timestamp", () => {
  assert.equal(ulidTime(ulid(1_234_567_890_123)), 1_234_567_890_123);
});
