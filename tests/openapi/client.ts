// client.ts — calls a running `cchc serve` through a client generated from docs/openapi.yaml:
// openapi-typescript writes the types (api.d.ts, beside this file at test time), openapi-fetch
// is the runtime, and tsc --strict checks every call against the spec before node runs it.
// Usage (tests/api/t-openapi-client.sh): node client.js BASE_URL USERNAME PASSWORD
import createClient from "openapi-fetch";
import type { paths } from "./api.js";

const [base = "", username = "", password = ""] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl: base });

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`FAIL: ${what}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  // Public operations (security: []).
  const health = await client.GET("/healthz");
  check(health.response.status === 200, `GET /healthz answered ${health.response.status}`);

  const unit = await client.GET("/api/units/{unit}", { params: { path: { unit: "P.A" } } });
  check(unit.data?.code === "P.A", `GET /api/units/P.A: ${JSON.stringify(unit.data ?? unit.error)}`);
  check(unit.data?.parent === "P", `unit P.A's parent: ${unit.data?.parent}`);

  const proc = await client.GET("/api/procedures/{procedure}", {
    params: { path: { procedure: "9.000001" } },
  });
  check(proc.data?.code === "9.000001", `GET /api/procedures/9.000001: ${JSON.stringify(proc.error)}`);

  // An error comes back as the spec's Error object, typed.
  const missing = await client.GET("/api/units/{unit}", { params: { path: { unit: "NO.SUCH" } } });
  check(missing.response.status === 404, `missing unit answered ${missing.response.status}`);
  check(missing.error?.error.code === "not_found", `missing unit: ${JSON.stringify(missing.error)}`);

  // Sign in (the session cookie and the CSRF token), then a protected call and a CSRF one.
  const session = await client.POST("/api/session", { body: { username, password } });
  check(session.response.status === 200, `POST /api/session answered ${session.response.status}`);
  const csrf = session.data?.csrf ?? "";
  check(csrf.length > 0, "the session carries a CSRF token");
  const cookie = session.response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  check(cookie.includes("cchc_session="), `the session cookie: ${cookie}`);

  const me = await client.GET("/api/session", { headers: { Cookie: cookie } });
  check(me.data?.user?.username === username, `GET /api/session: ${JSON.stringify(me.data)}`);

  const created = await client.POST("/api/dossiers", {
    headers: { Cookie: cookie, "X-CSRF-Token": csrf },
    body: { unit: "P.A", procedure: "9.000001", applicant_name: "Nguyễn Văn Khách" },
  });
  check(created.response.status === 201, `POST /api/dossiers: ${JSON.stringify(created.error)}`);
  const code = created.data?.code ?? "";
  const got = await client.GET("/api/dossiers/{code}", {
    headers: { Cookie: cookie },
    params: { path: { code } },
  });
  check(got.data?.code === code, `GET /api/dossiers/${code}: ${JSON.stringify(got.error)}`);

  // Without the CSRF header the spec's 403 comes back.
  const noCsrf = await client.DELETE("/api/session", { headers: { Cookie: cookie } });
  check(noCsrf.response.status === 403, `DELETE /api/session without CSRF: ${noCsrf.response.status}`);
  const out = await client.DELETE("/api/session", { headers: { Cookie: cookie, "X-CSRF-Token": csrf } });
  check(out.response.status === 200, `DELETE /api/session: ${out.response.status}`);
  console.log(`ok: generated client: health, unit, procedure, 404, sign-in, dossier ${code}, sign-out`);
}

main().catch((e) => {
  console.error(`FAIL: ${e}`);
  process.exit(1);
});
