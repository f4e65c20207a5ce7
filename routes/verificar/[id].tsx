import { define } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { getSignedContract } from "../../services/renewals/signing.ts";
import { VerifyPage } from "../../components/VerifyPage.tsx";

// Where the QR code on the evidence page leads: the signature's public summary (masked).
export default define({
  access: "public",
  GET: async (c) => {
    const record = await getSignedContract(c.get("db"), c.req.param("id")!);
    if (!record) {
      return page(
        c,
        { title: "Verificar contrato", nav: false, status: 404 },
        <VerifyPage result={{ verified: false, reason: "Assinatura não encontrada." }} />,
      );
    }
    return page(c, { title: "Verificar contrato", nav: false }, <VerifyPage record={record} />);
  },
});
