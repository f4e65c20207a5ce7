// The photo step: the customer's photo holding their ID document (holder check), with an
// example and tips first. The picker offers the camera or the gallery and shrinks the photo on
// the phone; every error of this step (a refused upload, an earlier rejection) shows in its one
// message slot, the newest replacing the older.
import PhotoPicker from "../../islands/PhotoPicker.tsx";
import { MAX_PHOTO_BYTES } from "../../domain/limits.ts";
import { Card, primaryBtn } from "./Shell.tsx";
import { Rev, type StepProps } from "./parts.tsx";
import { PhotoExample, PhotoTips } from "./PhotoExample.tsx";

export function SendPhoto(
  { v, base, errors, error, retentionDays }: StepProps & { error?: string },
) {
  const rejected = v.case.step === "photo_rejected" ? v.case.photo?.reason : undefined;
  const message = errors?.photo ?? error ??
    (rejected
      ? `Não conseguimos confirmar a foto anterior: ${rejected}. Por favor, envie outra.`
      : undefined);
  return (
    <Card>
      <h2 class="text-xl font-bold mb-2">Foto segurando seu documento</h2>
      <p class="mb-2">
        Para proteger você contra fraudes, precisamos confirmar que quem renova é o titular. Tire
        uma foto do seu rosto segurando seu documento com foto.
      </p>
      {
        /* After a refusal or a rejection the message and the buttons come first, the guidance
          right below them; otherwise the example and tips lead. */
      }
      {!message && <Guidance />}
      <form method="post" action={`${base}/upload_photo`} encType="multipart/form-data">
        <Rev v={v} />
        <PhotoPicker maxBytes={MAX_PHOTO_BYTES} error={message} />
        <button type="submit" class={primaryBtn}>Enviar foto</button>
      </form>
      {message && <Guidance />}
      <p class="mt-3 text-sm text-gray-700">
        A foto é usada só para esta verificação, fica guardada de forma criptografada e é apagada
        {" "}
        {retentionDays} dias após o fim da renovação (LGPD).
      </p>
    </Card>
  );
}

function Guidance() {
  return (
    <>
      <PhotoExample />
      <PhotoTips />
    </>
  );
}
