// The photo step: the customer's photo holding their ID document (holder check).
import PhotoPicker from "../../islands/PhotoPicker.tsx";
import { MAX_PHOTO_BYTES } from "../../domain/limits.ts";
import { Card, primaryBtn } from "./Shell.tsx";
import { Rev, type StepProps } from "./parts.tsx";

export function SendPhoto({ v, base, errors, retentionDays }: StepProps) {
  const rejected = v.case.step === "photo_rejected" ? v.case.photo?.reason : undefined;
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Foto segurando seu documento</h2>
      {rejected && (
        <p role="alert" class="mb-3 rounded border border-red-700 bg-red-50 p-3 text-red-800">
          Não conseguimos confirmar a foto anterior:{" "}
          <strong>{rejected}</strong>. Por favor, envie outra.
        </p>
      )}
      <p class="mb-2">
        Para proteger você contra fraudes, precisamos confirmar que quem renova é o titular. Tire
        uma foto do seu rosto segurando seu documento com foto (RG ou CNH), com o documento legível.
      </p>
      <p class="mb-4 text-sm text-gray-700">
        A foto é usada só para esta verificação, fica guardada de forma criptografada e é apagada
        {" "}
        {retentionDays} dias após o fim da renovação (LGPD).
      </p>
      <form method="post" action={`${base}/upload_photo`} encType="multipart/form-data">
        <Rev v={v} />
        <PhotoPicker maxBytes={MAX_PHOTO_BYTES} error={errors?.photo} />
        <button type="submit" class={primaryBtn}>Enviar foto</button>
      </form>
    </Card>
  );
}
