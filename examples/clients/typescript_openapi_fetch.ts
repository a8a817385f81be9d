// The partner flow through openapi-fetch with types from openapi-typescript, without leaving the typed client (no casts).
//
//   npm install openapi-fetch@0.17 openapi-typescript@7.13 typescript@5.9 @types/node@20
//   node examples/clients/typescript_types.mjs openapi/openapi.json sleutelmonitor.d.ts   # `format: binary` as Blob
//   npx tsc && SLEUTELMONITOR_URL=http://127.0.0.1:8000/v1 SLEUTELMONITOR_KEY=smk_... node typescript_openapi_fetch.js
//
// The key needs scopes registreren, inzien and rapporteren; the organisation must serve GM0344 (tests/test_gegenereerde_client.py).
import createClient from "openapi-fetch";
import type { components, paths } from "./sleutelmonitor.js";

const LOGBOEK = "\ufeffDatum;Sleutelpersoon;Gemeente;Kanaal;Onderwerp\r\n14-3-2025;Amal B.;GM0344;Persoonlijk;Toeslagen\r\n";

export async function partnerflow(baseUrl: string, sleutel: string) {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${sleutel}` } });
  const { data: persoon } = await api.POST("/sleutelpersonen", { body: { weergavenaam: "Amal B.", gemeentecode: "GM0344" } });
  const { data: partner } = await api.POST("/ketenpartners", { body: { naam: "Huisartsenpraktijk Zuid", categorie: "huisarts" } });
  if (!persoon || !partner) throw new Error("sleutelpersoon of ketenpartner niet aangemaakt");
  const contact: components["schemas"]["ContactmomentCreate"] = { externId: "crm-1", sleutelpersoonId: persoon.id, datum: "2025-03-14", gemeentecode: "GM0344", kanaal: "persoonlijk",
    onderwerpen: ["geld.toeslagen"], doorverwijzingen: [{ ketenpartnerId: partner.id, wijze: "warm" }] };
  const eerste = await api.POST("/contactmomenten", { body: contact });
  const nogEens = await api.POST("/contactmomenten", { body: contact }); // a retry: the stored record, 200
  if (!eerste.data || !nogEens.data) throw new Error("contactmoment niet opgeslagen");

  const pad = { path: { doorverwijzingId: eerste.data.doorverwijzingen[0].id } };
  const oud = (await api.GET("/doorverwijzingen/{doorverwijzingId}", { params: pad })).response.headers.get("ETag") ?? "";
  const verder = await api.PATCH("/doorverwijzingen/{doorverwijzingId}", { params: { ...pad, header: { "If-Match": oud } }, body: { status: "aangekomen" } });
  const etag = verder.response.headers.get("ETag") ?? "";
  const terug = await api.PATCH("/doorverwijzingen/{doorverwijzingId}", { params: { ...pad, header: { "If-Match": etag } }, body: { status: "voorgesteld" } });
  const verouderd = await api.PATCH("/doorverwijzingen/{doorverwijzingId}", { params: { ...pad, header: { "If-Match": oud } }, body: { status: "afgerond" } });
  if (!terug.error || !("toegestaneStatussen" in terug.error) || !verouderd.error || !("huidigeEtag" in verouderd.error)) throw new Error("geen 409 en 412");

  let { data: run } = await api.POST("/imports", {
    params: { query: { perRij: true } }, body: { bestand: new Blob([LOGBOEK], { type: "text/csv" }) },
    bodySerializer: (body) => { const formulier = new FormData(); formulier.append("bestand", body.bestand, "logboek.csv"); return formulier; },
  });
  while (run && (run.status === "wachtend" || run.status === "bezig")) {
    await new Promise((klaar) => setTimeout(klaar, 1000));
    run = (await api.GET("/imports/{importId}", { params: { path: { importId: run.id } } })).data;
  }
  if (!run) throw new Error("import niet gelukt");

  const vraag = { path: { code: "aantal-contactmomenten" }, query: { periode: "2025", groeperenOp: "gemeente" } };
  const { data: waarden } = await api.GET("/indicatoren/{code}/waarden", { params: vraag });
  const { data: tabel } = await api.GET("/indicatoren/{code}/waarden.csv", { params: vraag, parseAs: "text" });
  const { data: werkmap } = await api.GET("/indicatoren/{code}/waarden.xlsx", { params: vraag, parseAs: "arrayBuffer" });
  if (!waarden || tabel === undefined || !werkmap) throw new Error("waarden niet opgehaald");
  return { statussen: [eerste.response.status, nogEens.response.status, verder.response.status, terug.error.status, verouderd.error.status],
           zelfde: eerste.data.id === nogEens.data.id, toegestaan: [...(terug.error.toegestaneStatussen ?? [])].sort(),
           import: [run.status, run.aangemaakt], waarden: waarden.rijen.map((rij) => rij.waarde), csv: tabel,
           xlsx: Buffer.from(werkmap).toString("base64") };
}

const { SLEUTELMONITOR_URL, SLEUTELMONITOR_KEY } = process.env;
if (SLEUTELMONITOR_URL && SLEUTELMONITOR_KEY) console.log(JSON.stringify(await partnerflow(SLEUTELMONITOR_URL, SLEUTELMONITOR_KEY)));
