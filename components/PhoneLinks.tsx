import { formatPhone } from "../domain/format.ts";

/** A customer's phones as tap-to-call links, one per line. */
export function PhoneLinks({ phones }: { phones: string[] }) {
  return (
    <>
      {phones.map((p) => (
        <a key={p} href={`tel:+${p}`} class="block text-brand-700 underline">
          {formatPhone(p)}
        </a>
      ))}
    </>
  );
}
