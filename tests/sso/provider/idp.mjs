// A local OpenID provider for the SSO tests: panva's oidc-provider (OpenID Certified), nothing mocked.
//
// Configured by environment variables the test sets:
//   IDP_PORT                       the loopback port to listen on (issuer http://127.0.0.1:<port>)
//   IDP_CLIENT                     JSON: {client_id, client_secret, redirect_uris, post_logout_redirect_uris}
//   IDP_ACCOUNTS                   JSON: {"<account id>": {"groups": [...]}, ...}
//   IDP_ID_TOKEN_TTL               seconds an ID token is valid (default 300)
//
// The interaction is a tiny form instead of devInteractions: the test (or Chromium) types an account id
// and submits; consent is granted silently (a first-party client, as an organisation's own IdP would).
// The groups claim is put into the ID token, as Keycloak and Entra ID do with a groups mapper.
import http from 'node:http';
import { URLSearchParams } from 'node:url';

import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const client = JSON.parse(process.env.IDP_CLIENT);
const accounts = JSON.parse(process.env.IDP_ACCOUNTS || '{}');
const issuer = `http://127.0.0.1:${port}`;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const configuration = {
  clients: [{
    ...client,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], groups: ['groups'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['sleutelmonitor-test-idp-cookie-key-0001'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  ttl: {
    IdToken: Number(process.env.IDP_ID_TOKEN_TTL || 300),
    AccessToken: 300,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    if (!Object.hasOwn(accounts, sub)) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, groups: accounts[sub].groups || [] };
      },
    };
  },
  // First-party client: grant the requested scopes without a consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html lang="en"><head><title>IdP error</title></head><body><h1>IdP error</h1>
      <pre id="fout">${escape(JSON.stringify(out))}</pre></body></html>`;
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;
const callback = provider.callback();

function lees(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (deel) => { body += deel; if (body.length > 10000) req.destroy(); });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interactie(req, res, uid, login) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (!login) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!DOCTYPE html><html lang="en"><head><title>Test IdP: sign in</title></head><body><main>
      <h1>Test IdP: sign in</h1>
      <form method="post" action="/interaction/${escape(uid)}/login">
        <label for="account">Account</label> <input id="account" name="account" autofocus>
        <button type="submit">Sign in</button>
      </form></main></body></html>`);
    return;
  }
  const velden = await lees(req);
  const account = velden.get('account') || '';
  if (!Object.hasOwn(accounts, account)) {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown account' });
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
}

const server = http.createServer(async (req, res) => {
  const pad = new URL(req.url, issuer).pathname;
  const match = pad.match(/^\/interaction\/([^/]+)(\/login)?$/);
  try {
    if (match && (req.method === 'GET' || (req.method === 'POST' && match[2]))) {
      await interactie(req, res, match[1], Boolean(match[2]));
      return;
    }
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(String(err));
    return;
  }
  callback(req, res);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
