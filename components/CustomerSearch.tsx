// The staff search box: one field for what the customer says on the phone (name, phone,
// CPF/CNPJ or protocol), found through blind indexes (services/customer_search.ts).
const input = "rounded border border-gray-400 px-2 py-1.5 text-sm w-full";

export function CustomerSearch({ value = "" }: { value?: string }) {
  return (
    <form method="get" action="/app/customers" class="flex gap-2 mb-6 max-w-xl" role="search">
      <label class="flex-1 text-sm">
        <span class="sr-only">Buscar cliente por nome, telefone, CPF/CNPJ ou protocolo</span>
        <input
          name="q"
          value={value}
          maxLength={100}
          placeholder="Buscar por nome, telefone, CPF/CNPJ ou protocolo"
          autocomplete="off"
          class={input}
        />
      </label>
      <button
        type="submit"
        class="rounded border border-gray-400 bg-white px-3 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-600"
      >
        Buscar
      </button>
    </form>
  );
}
