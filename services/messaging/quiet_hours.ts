// Quiet hours for campaign messages (reminders): nobody gets a reminder at night or on a quiet
// day. Pure functions on instants, computed in the provider's time zone through Intl, so a
// future daylight-saving rule would still give the right wall-clock time.
import type { QuietHours } from "./settings.ts";

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localTime(t: Date, timeZone: string): LocalTime & { seconds: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(t)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday],
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    seconds: Number(parts.second),
  };
}

/** The instant when the wall clock in `timeZone` shows the given date and minute of the day. */
function zonedInstant(year: number, month: number, day: number, minutes: number, tz: string) {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wall;
  // Two rounds settle the offset even across a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const l = localTime(new Date(guess), tz);
    const shown = Date.UTC(l.year, l.month - 1, l.day, 0, l.minutes, l.seconds);
    guess += wall - shown;
  }
  return new Date(guess);
}

function inWindow(minutes: number, q: QuietHours): boolean {
  if (q.startMin === q.endMin) return false;
  return q.startMin < q.endMin
    ? minutes >= q.startMin && minutes < q.endMin
    : minutes >= q.startMin || minutes < q.endMin;
}

export function isQuiet(t: Date, q: QuietHours): boolean {
  const l = localTime(t, q.timeZone);
  return q.days.includes(l.weekday) || inWindow(l.minutes, q);
}

/** `t` when sending is allowed then; else the first allowed instant after it. */
export function nextAllowedTime(t: Date, q: QuietHours): Date {
  if (!isQuiet(t, q)) return t;
  const l = localTime(t, q.timeZone);
  let best: Date | null = null;
  // Quiet time ends either when the nightly window ends or at midnight (a quiet day ends).
  for (let k = 0; k <= 8; k++) {
    for (const minute of [q.endMin, 0]) {
      const ymd = new Date(Date.UTC(l.year, l.month - 1, l.day + k));
      const c = zonedInstant(
        ymd.getUTCFullYear(),
        ymd.getUTCMonth() + 1,
        ymd.getUTCDate(),
        minute,
        q.timeZone,
      );
      if (c > t && !isQuiet(c, q) && (!best || c < best)) best = c;
    }
    if (best) break;
  }
  // Settings never make the whole week quiet; a day later is a safe fallback regardless.
  return best ?? new Date(t.getTime() + 86400_000);
}
