import { define } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { verifyContractFile } from "../../services/renewals/signing.ts";
import { VerifyPage } from "../../components/VerifyPage.tsx";
import { parseFormBody } from "../../lib/form.ts";

// Public: anyone holding a contract PDF can check it was sealed here and is unchanged. A bad
// or foreign file is reported as "not verified", never as an error page.
export default define({
  access: "public",
  GET: (c) => page(c, { title: "Verificar contrato", nav: false }, <VerifyPage />),
  POST: async (c) => {
    const body = await parseFormBody(c);
    const file = body.file;
    const result = file instanceof File && file.size > 0
      ? await verifyContractFile(c.get("db"), new Uint8Array(await file.arrayBuffer()))
      : { verified: false as const, reason: "Escolha o arquivo PDF do contrato." };
    return page(c, { title: "Verificar contrato", nav: false }, <VerifyPage result={result} />);
  },
});
