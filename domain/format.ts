// Brazilian formats in one place: money, dates, CPF, CNPJ, phones.

const money = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });

// Pages show the same few prices (plans, fine tables) over and over: keep what was formatted.
const moneySeen = new Map<number, string>();

/** 123456 → "R$ 1.234,56" (with a normal space, not the NBSP Intl emits). */
export function formatMoney(cents: number): string {
  let s = moneySeen.get(cents);
  if (s === undefined) {
    s = money.format(cents / 100).replace(/\s/g, " ");
    if (moneySeen.size >= 2000) moneySeen.clear();
    moneySeen.set(cents, s);
  }
  return s;
}

// One formatter: toLocaleString builds a new one on every call (most of a dashboard's render).
const count = new Intl.NumberFormat("pt-BR");

/** 12345 → "12.345": counts and limits in pt-BR. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** "2026-03-05" → "05/03/2026". */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

const brasilia = new Intl.DateTimeFormat("pt-BR", {
  timeZone: "America/Sao_Paulo",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** The calendar and clock fields of an instant in Brasília time, whatever the machine's zone. */
function inBrasilia(iso: string | Date): Record<string, string> {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return Object.fromEntries(brasilia.formatToParts(d).map((p) => [p.type, p.value]));
}

/** An instant, shown in Brasília time: "05/03/2026 14:07". */
export function formatDateTime(iso: string | Date): string {
  const p = inBrasilia(iso);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** An instant to the second, for evidence (signature stamp): "05/03/2026 às 14:07:33". */
export function formatDateTimeSeconds(iso: string | Date): string {
  const p = inBrasilia(iso);
  return `${p.day}/${p.month}/${p.year} às ${p.hour}:${p.minute}:${p.second}`;
}

export function formatCpf(cpf: string): string {
  const d = cpf.replace(/\D/g, "");
  return d.length === 11 ? `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}` : cpf;
}

/** CPF with only the middle digits visible, for lists and messages (LGPD minimisation). */
export function maskCpf(cpf: string): string {
  const d = cpf.replace(/\D/g, "");
  return d.length === 11 ? `***.${d.slice(3, 6)}.${d.slice(6, 9)}-**` : "***";
}

/** A CPF or CNPJ (letters allowed since 2026), formatted by its length; anything else as is. */
export function formatDocument(doc: string): string {
  const s = doc.trim();
  if (/^\d{11}$/.test(s)) return formatCpf(s);
  if (/^[0-9A-Z]{12}\d{2}$/i.test(s)) return formatCnpj(s);
  return s;
}

export function formatCnpj(cnpj: string): string {
  const d = cnpj.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  return d.length === 14
    ? `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`
    : cnpj;
}

/** "5511912345678" → "+55 (11) 91234-5678"; landlines "+55 (11) 4000-1234". */
export function formatPhone(e164: string): string {
  const d = e164.replace(/\D/g, "");
  const m = d.match(/^55(\d{2})(\d{4,5})(\d{4})$/);
  return m ? `+55 (${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** "+55 (11) 9****-5678": enough for the customer to recognise, no more. */
export function maskPhone(e164: string): string {
  const d = e164.replace(/\D/g, "");
  const m = d.match(/^55(\d{2})(\d)(\d{3,4})(\d{4})$/);
  return m ? `+55 (${m[1]}) ${m[2]}${"*".repeat(m[3].length)}-${m[4]}` : "***";
}

export function maskEmail(email: string): string {
  const [user, domain] = email.split("@");
  if (!domain) return "***";
  return `${user.slice(0, 2)}${"*".repeat(Math.max(1, user.length - 2))}@${domain}`;
}
