// Calendar dates as "YYYY-MM-DD" strings (UTC-free: a loyalty end is a day, not an instant).

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isValidIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + "T00:00:00Z");
  return !isNaN(d.getTime()) && isoDate(d) === s;
}

export function addDays(date: string, days: number): string {
  const d = new Date(date + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/** Adds months keeping the day, clamped to the month's last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, day] = date.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return isoDate(new Date(Date.UTC(ny, nm, Math.min(day, last))));
}

/** Brazil has no DST since 2019: São Paulo is UTC−3 all year. */
export function todayInBrazil(now: Date): string {
  return isoDate(new Date(now.getTime() - 3 * 3600_000));
}
