// A certified OpenID Connect provider (oidc-provider) on loopback for the openid mode's
// tests. Usage: node provider.mjs, with PORT and REDIRECT_URI in the environment. Prints
// "ready <issuer>" once it listens; stops when its standard input closes (the test ended).
//
// Access tokens are JWTs for the resource urn:capuchin:api with the audience capuchin (the
// client id, as an openid location that also takes bearer tokens expects by default) and
// the user's preferred_username, email and groups. Back-channel logout is on: ending a
// session at /session/end posts a logout token to BACKCHANNEL_URI.
//
// The clients capuchin-refresh and capuchin-jwt get refresh tokens and access tokens good
// for ACCESS_TTL seconds (8 by default).
//
// Users: alice (groups staff, alice@example.test) and bob (groups guests,
// bob@other.test); any password. Clients: capuchin (secret s3cret, client_secret_basic)
// and capuchin-public (no secret, PKCE only); with CLIENT_JWKS (a public JWK set, JSON) in
// the environment also capuchin-jwt, which authenticates with private_key_jwt (RFC 7523)
// signed by the private half of one of those keys. The sign-in page is the provider's
// interaction: GET /interaction/:uid shows a form, POST /interaction/:uid with login=<user>
// signs in; consent is granted at once for the requested scopes.
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUri = process.env.REDIRECT_URI;
const postLogout = process.env.POST_LOGOUT_URI ?? redirectUri.replace(/\/callback$/, '/signed-out');
const backchannel = process.env.BACKCHANNEL_URI ?? redirectUri.replace(/\/callback$/, '/backchannel-logout');
const resource = 'urn:capuchin:api';
const shortTtl = Number(process.env.ACCESS_TTL ?? 8);
const clientJwks = process.env.CLIENT_JWKS ? JSON.parse(process.env.CLIENT_JWKS) : undefined;

const users = {
  alice: { email: 'alice@example.test', name: 'Alice Liddell', groups: ['staff', 'readers'] },
  bob: { email: 'bob@other.test', name: 'Bob Builder', groups: ['guests'] },
};

const client = {
  redirect_uris: [redirectUri],
  post_logout_redirect_uris: [postLogout],
  backchannel_logout_uri: backchannel,
  backchannel_logout_session_required: true,
  grant_types: ['authorization_code'],
  response_types: ['code'],
};

const provider = new Provider(issuer, {
  clients: [
    { ...client, client_id: 'capuchin', client_secret: 's3cret', token_endpoint_auth_method: 'client_secret_basic' },
    { ...client, client_id: 'capuchin-public', token_endpoint_auth_method: 'none' },
    // refresh tokens (asked for with offline_access and prompt=consent) and access tokens
    // that expire after ACCESS_TTL seconds
    {
      ...client,
      client_id: 'capuchin-refresh',
      client_secret: 's3cret',
      grant_types: ['authorization_code', 'refresh_token'],
    },
    // private_key_jwt, with refresh tokens so the refresh is authenticated the same way
    ...(clientJwks ? [{
      ...client,
      client_id: 'capuchin-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: clientJwks,
      grant_types: ['authorization_code', 'refresh_token'],
    }] : []),
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'groups'],
  },
  // the claims of the requested scopes in the ID token itself, as most providers do
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator, client) => ({
        scope: 'api',
        audience: 'capuchin',
        accessTokenFormat: 'jwt',
        accessTokenTTL: ['capuchin-refresh', 'capuchin-jwt'].includes(client.clientId) ? shortTtl : 3600,
      }),
    },
  },
  // the provider refuses to call special-use addresses (SSRF protection); the site it
  // posts back-channel logouts to is on loopback in these tests
  fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined }),
  async extraTokenClaims(ctx, token) {
    const user = users[token.accountId];
    return user ? { preferred_username: token.accountId, email: user.email, groups: user.groups } : undefined;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['capuchin-test-provider-cookie-key'] },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email_verified: true, ...user };
      },
    };
  },
});

async function form(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(String(params.scope));
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'POST') {
    const login = (await form(req)).get('login');
    if (!users[login]) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('unknown user');
      return undefined;
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  return res.end(`<!DOCTYPE html><form method="post" action="/interaction/${uid}">`
    + '<input name="login"><input name="password" type="password"><button>Sign in</button></form>');
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
    return;
  }
  callback(req, res);
});
provider.on('backchannel.error', (ctx, err) => process.stderr.write(`backchannel logout failed: ${err}\n`));
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
