// One renewal driven over HTTP the way the attendant and the customer do it: the attendant's
// next action is read from the case (GET /app/api/case), each post is the page's own form,
// and the customer reads their link and codes from the messages the stand-ins received.
import { formsTo, Http, sleep } from "./http.ts";
import type { StandIns } from "./standins.ts";
import { OPEN_STEPS } from "../../domain/steps.ts";

/** The happy path's steps in order (a rejected photo is a detour, not progress). */
export const ORDER: string[] = [...OPEN_STEPS.filter((s) => s !== "photo_rejected"), "closed"];

export interface Outcome {
  caseId?: string;
  contractId: string;
  /** The furthest step this renewal was seen in (its index in ORDER). */
  maxStep: number;
  final: string;
  error?: string;
}

interface CaseJson {
  id: string;
  rev: number;
  step: string;
  customerName: string;
  phones: string[];
}

export interface DriverEnv {
  staff: Http;
  base: string;
  standins: StandIns;
  photo: Uint8Array<ArrayBuffer>;
  deadlineMs: number;
  /** Steps moved by all renewals so far: the soak spreads its kills over the run by it. */
  progress: { steps: number };
}

/** Claims with the list's form, then moves the case until it is closed (or time runs out). */
export async function driveRenewal(
  env: DriverEnv,
  claimForm: Record<string, string>,
): Promise<Outcome> {
  const out: Outcome = { contractId: claimForm.contractId, maxStep: -1, final: "unclaimed" };
  const until = Date.now() + env.deadlineMs;
  try {
    const claim = await env.staff.post("/app/claim", claimForm);
    if (claim.status !== 303) throw new Error(`claim answered ${claim.status}`);
    const caseId = claim.location.split("/").pop()!;
    out.caseId = caseId;
    const customer = new Http(env.base);
    let token = "";
    let linkAt = 0, codeAt = 0;
    while (Date.now() < until) {
      const c = await env.staff.json<CaseJson>(`/app/api/case?id=${caseId}`);
      if (c.step !== out.final && Deno.env.get("SOAK_VERBOSE")) {
        console.error(
          `soak: ${caseId.slice(-6)} ${c.step} +${Date.now() - until + env.deadlineMs}`,
        );
      }
      out.final = c.step;
      const at = ORDER.indexOf(c.step);
      if (at > out.maxStep) env.progress.steps += at - Math.max(out.maxStep, 0);
      out.maxStep = Math.max(out.maxStep, at);
      if (c.step === "closed" || !ORDER.includes(c.step)) return out;
      const phone = c.phones[0];
      const staffDo = (action: string, extra: Record<string, string> = {}) =>
        staffAct(env.staff, caseId, action, extra);
      // The link the customer holds: the last one sent to their phone.
      const latest = env.standins.lastTo(phone, "first_contact")?.text.match(
        /\/r\/([A-Za-z0-9_-]{43})/,
      )?.[1];
      if (latest) token = latest;
      switch (c.step) {
        case "contact":
          await staffDo("contact", { channel: "phone", outcome: "answered", note: "soak" });
          break;
        case "offer":
          if (!token) {
            // Sent again only when the first did not arrive in 20 s (e.g. stuck by a kill).
            if (Date.now() - linkAt > 20_000) {
              linkAt = Date.now();
              await staffDo("send_link", { channel: "whatsapp" });
            }
            await sleep(200);
            break;
          }
          await customerChoose(customer, token);
          break;
        case "plan_chosen":
          await customerAct(customer, token, "upload_photo", {}, {
            name: "photo",
            file: new File([env.photo], "eu.png", { type: "image/png" }),
          });
          break;
        case "photo_sent":
          await staffDo("approve_photo");
          break;
        case "holder_verified": {
          const page = await customer.text(`/r/${token}`);
          const [f] = formsTo(page.html, `/r/${token}/submit_contacts`);
          if (f) {
            await customer.post(`/r/${token}/submit_contacts`, {
              ...f,
              phone: c.phones.map((p) => p.slice(2)),
            });
          }
          break;
        }
        case "data_confirmed":
          await staffDo("change_plan");
          break;
        case "plan_changed":
          await staffDo("send_signature");
          break;
        case "signature_sent": {
          const got = codeAt ? env.standins.lastTo(phone, "sign_code", codeAt - 1000) : undefined;
          if (!got) {
            // Asked again only after the 1-minute resend wait (a code stuck by a kill).
            if (!codeAt || Date.now() - codeAt > 62_000) {
              codeAt = Date.now();
              await customerAct(customer, token, "send_code", { channel: "whatsapp" });
            }
            await sleep(200);
            break;
          }
          await customerAct(customer, token, "sign", {
            code: got.text,
            typedName: c.customerName,
            consent: "on",
          });
          break;
        }
        case "signed":
          await staffDo("register");
          break;
        case "registered":
          await staffDo("notify");
          break;
        case "notified":
          await staffDo("close");
          break;
      }
    }
    out.error = "deadline";
  } catch (e) {
    out.error = (e as Error).message.slice(0, 300);
  }
  return out;
}

/** Posts the case page's form for `action` (with its rev and submission id). */
async function staffAct(http: Http, caseId: string, action: string, extra: Record<string, string>) {
  const page = await http.text(`/app/cases/${caseId}`);
  const [f] = formsTo(page.html, `/app/cases/${caseId}/${action}`);
  if (!f) return await sleep(100); // the case moved on meanwhile: read it again
  await http.post(`/app/cases/${caseId}/${action}`, { ...f, ...extra });
}

async function customerAct(
  http: Http,
  token: string,
  action: string,
  extra: Record<string, string>,
  file?: { name: string; file: File },
) {
  const page = await http.text(`/r/${token}`);
  const [f] = formsTo(page.html, `/r/${token}/${action}`);
  if (!f) return await sleep(100);
  await http.post(`/r/${token}/${action}`, { ...f, ...extra }, file);
}

async function customerChoose(http: Http, token: string) {
  const page = await http.text(`/r/${token}`);
  const plan = page.html.match(/\?plan=([0-9A-Z]{26})/)?.[1];
  if (!plan) return await sleep(100);
  const confirm = await http.text(`/r/${token}?plan=${plan}`);
  const [f] = formsTo(confirm.html, `/r/${token}/choose_plan`);
  if (!f) return await sleep(100);
  await http.post(`/r/${token}/choose_plan`, { ...f, planId: plan, consent: "on" });
}
