// Drives Capuchin's authorization server with openid-client, a certified OpenID Connect
// relying party library. Usage: node flows.mjs <flow>, with ISSUER, CLIENT_ID and
// CLIENT_SECRET in the environment. Prints one JSON object of what it saw; the Java test
// that runs it makes the assertions. Fails (exit 1, message on stderr) when the library
// refuses an answer.
import * as client from 'openid-client';
import * as jose from 'jose';

// A browser for the sign-in and consent pages: fetch, a cookie jar, redirects followed by
// hand up to the client's own redirect URI, which is returned rather than fetched.
class Browser {
  cookies = new Map();

  async go(url, stopAt, init = {}) {
    for (let hops = 0; hops < 10; hops++) {
      if (stopAt && url.startsWith(stopAt)) {
        return { url };
      }
      const headers = { ...(init.headers ?? {}) };
      if (this.cookies.size) {
        headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      }
      const response = await fetch(url, { ...init, headers, redirect: 'manual' });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const index = pair.indexOf('=');
        this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).href;
        init = {};
        continue;
      }
      return { url, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  // posts a page's form: its hidden inputs, checked boxes and the given fields
  async submit(page, formId, fields, stopAt) {
    const form = page.body.match(new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`));
    if (!form) {
      throw new Error(`no form ${formId} on ${page.url}: ${page.body.slice(0, 300)}`);
    }
    const action = form[0].match(/action="([^"]*)"/)[1].replaceAll('&amp;', '&');
    const body = new URLSearchParams();
    for (const input of form[1].matchAll(/<input([^>]*)>/g)) {
      const attributes = input[1];
      const name = attributes.match(/name="([^"]*)"/)?.[1];
      const value = attributes.match(/value="([^"]*)"/)?.[1] ?? '';
      const type = attributes.match(/type="([^"]*)"/)?.[1];
      if (name && (type === 'hidden' || (type === 'checkbox' && /\schecked/.test(attributes)))) {
        body.append(name, value);
      }
    }
    for (const [name, value] of Object.entries(fields)) {
      body.set(name, value);
    }
    return this.go(new URL(action, page.url).href, stopAt, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

// an authorization request with PKCE, state and nonce
async function authorizationRequest(config, scope) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: process.env.REDIRECT_URI,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, verifier, state, nonce };
}

// the code flow up to the tokens: the authorization request, the sign-in form, the
// consent page when shown, the code exchanged with its PKCE verifier
async function authorize(config, browser, scope = process.env.SCOPE ?? 'openid profile read') {
  const redirectUri = process.env.REDIRECT_URI;
  const { url, verifier, state, nonce } = await authorizationRequest(config, scope);
  const signIn = await browser.go(url.href, redirectUri);
  const afterSignIn = await browser.submit(signIn, 'login-form',
    { username: process.env.USERNAME, password: process.env.PASSWORD }, redirectUri);
  const consentShown = afterSignIn.url.includes('/identity/consent');
  const callback = consentShown ? await browser.submit(afterSignIn, 'consent-form', {}, redirectUri) : afterSignIn;
  if (!callback.url.startsWith(redirectUri)) {
    throw new Error(`expected the redirect URI, got ${callback.url} (${callback.status}): ${callback.body?.slice(0, 300)}`);
  }
  const tokens = await client.authorizationCodeGrant(config, new URL(callback.url),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  return { signIn, consentShown, tokens };
}

const flows = {
  // the first half of the code flow, for a browser driven by the test (a sign-in through
  // an OpenID login in Chromium): the authorization URL and what its callback must match
  async 'authorization-url'(config) {
    const { url, verifier, state, nonce } = await authorizationRequest(config, process.env.SCOPE ?? 'openid profile email');
    return { url: url.href, verifier, state, nonce };
  },

  // the second half: the redirect URI the browser reached, its code exchanged with the
  // PKCE verifier and the ID token checked by the library (signature, state, nonce)
  async 'code-callback'(config) {
    const tokens = await client.authorizationCodeGrant(config, new URL(process.env.CALLBACK_URL),
      { pkceCodeVerifier: process.env.VERIFIER, expectedState: process.env.STATE, expectedNonce: process.env.NONCE });
    const claims = tokens.claims();
    return {
      idToken: { sub: claims.sub, iss: claims.iss, preferredUsername: claims.preferred_username, email: claims.email,
        name: claims.name },
    };
  },

  // authorization code with PKCE through the real sign-in form and consent page, the ID
  // token checked by the library, userinfo, refresh rotation and a reused refresh token
  async code(config) {
    const browser = new Browser();
    const { signIn, consentShown, tokens } = await authorize(config, browser);
    const claims = tokens.claims();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    let reuse = 'accepted';
    try {
      await client.refreshTokenGrant(config, tokens.refresh_token);
    }
    catch (error) {
      reuse = error.error ?? error.message;
    }
    let afterReuse = 'accepted';
    try {
      await client.refreshTokenGrant(config, refreshed.refresh_token);
    }
    catch (error) {
      afterReuse = error.error ?? error.message;
    }
    return {
      signInPage: signIn.url,
      consentShown,
      idToken: { sub: claims.sub, iss: claims.iss, aud: claims.aud, preferredUsername: claims.preferred_username,
        email: claims.email, name: claims.name, groups: claims.groups },
      userinfo,
      scope: tokens.scope,
      refreshRotated: refreshed.refresh_token !== tokens.refresh_token,
      reuse,
      afterReuse,
    };
  },

  // the claims of the ID token and userinfo for the scopes in SCOPE
  async claims(config) {
    const browser = new Browser();
    const { tokens } = await authorize(config, browser, process.env.SCOPE);
    const idToken = tokens.claims();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    return { idToken, userinfo };
  },

  // RP-initiated logout: sign in through the code flow, end the session with the ID token
  // as hint, a registered post-logout redirect and a state; then a new authorization in
  // the same browser asks for the sign-in again
  async logout(config) {
    const browser = new Browser();
    const { tokens } = await authorize(config, browser);
    const logoutUri = process.env.POST_LOGOUT_REDIRECT_URI;
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: logoutUri,
      state: 'bye',
    });
    const loggedOut = await browser.go(endSession.href, logoutUri);
    const again = await browser.go((await authorizationRequest(config, 'openid read')).url.href,
      process.env.REDIRECT_URI);
    return {
      endSessionEndpoint: config.serverMetadata().end_session_endpoint,
      loggedOut: loggedOut.url,
      logoutAnswer: loggedOut.status ? `${loggedOut.status}: ${loggedOut.body.slice(0, 300)}` : null,
      afterLogout: again.url,
    };
  },

  // RFC 8628: the device asks for a code, the user types it into the verification page
  // (a wrong code first), signs in and consents in a browser, and the device's polling
  // gets the tokens
  async device(config) {
    const started = await client.initiateDeviceAuthorization(config, { scope: 'read' });
    // polled from now on; settled into a value so a failure is reported, not thrown unheard
    const polling = client.pollDeviceAuthorizationGrant(config, started)
      .then((tokens) => ({ tokens }), (error) => ({ error: error.error ?? error.message }));
    const browser = new Browser();
    const page = await browser.go(started.verification_uri);
    const wrong = await browser.submit(page, 'device-form', { user_code: 'BBBB-BBBB' });
    // typed as a person might: lower case, a space for the dash
    const signIn = await browser.submit(page, 'device-form',
      { user_code: started.user_code.toLowerCase().replace('-', ' ') });
    const afterSignIn = await browser.submit(signIn, 'login-form',
      { username: process.env.USERNAME, password: process.env.PASSWORD });
    const consentShown = afterSignIn.url.includes('/identity/consent');
    const done = consentShown ? await browser.submit(afterSignIn, 'consent-form', {}) : afterSignIn;
    const polled = await polling;
    if (polled.error) {
      throw new Error(`polling failed: ${polled.error} (browser ended at ${done.url} ${done.status})`);
    }
    const introspected = await client.tokenIntrospection(config, polled.tokens.access_token);
    return {
      verificationUri: started.verification_uri,
      verificationUriComplete: started.verification_uri_complete,
      userCode: started.user_code,
      pageStatus: page.status,
      wrongCode: { status: wrong.status, unknown: wrong.body.includes('id="device-unknown"') },
      signInPage: signIn.url,
      consentShown,
      approved: done.status === 200 && done.body.includes('id="device-approved"'),
      scope: polled.tokens.scope,
      refreshToken: Boolean(polled.tokens.refresh_token),
      introspected: { active: introspected.active, sub: introspected.sub, username: introspected.username },
    };
  },

  // starts a device authorization and prints it, for a test that lets it expire
  async 'device-start'(config) {
    const started = await client.initiateDeviceAuthorization(config, { scope: 'read' });
    return { deviceCode: started.device_code, userCode: started.user_code, uri: started.verification_uri };
  },

  // an expired device authorization: its user code is refused on the page and the
  // device's polling ends with expired_token
  async 'device-expired'(config) {
    const browser = new Browser();
    const page = await browser.go(process.env.VERIFICATION_URI);
    const entered = await browser.submit(page, 'device-form', { user_code: process.env.USER_CODE });
    let polled = 'tokens';
    try {
      await client.pollDeviceAuthorizationGrant(config,
        { device_code: process.env.DEVICE_CODE, user_code: process.env.USER_CODE,
          verification_uri: process.env.VERIFICATION_URI, expires_in: 600, interval: 1 });
    }
    catch (error) {
      polled = error.error ?? error.message;
    }
    return {
      entered: { status: entered.status, unknown: entered.body.includes('id="device-unknown"') },
      polled,
    };
  },

  // RFC 8693: a realm user's access token (from the code flow) exchanged by another,
  // confidential client for a token of its own that still names the user; a public
  // client's attempt is refused
  async 'token-exchange'(config) {
    const browser = new Browser();
    const { tokens } = await authorize(config, browser, 'openid read');
    const exchanger = await discover(process.env.EXCHANGE_CLIENT_ID, process.env.EXCHANGE_CLIENT_SECRET);
    const request = {
      subject_token: tokens.access_token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'read',
    };
    const exchanged = await client.genericGrantRequest(exchanger, TOKEN_EXCHANGE, request);
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri), {});
    const { payload } = await jose.jwtVerify(exchanged.access_token, jwks, { issuer: config.serverMetadata().issuer });
    const subject = jose.decodeJwt(tokens.access_token);
    let publicClient = 'accepted';
    try {
      const anonymous = await discover(process.env.PUBLIC_CLIENT_ID, undefined, client.None());
      await client.genericGrantRequest(anonymous, TOKEN_EXCHANGE, request);
    }
    catch (error) {
      publicClient = error.error ?? error.message;
    }
    return {
      issuedTokenType: exchanged.issued_token_type,
      scope: exchanged.scope,
      subjectSub: subject.sub,
      exchanged: { sub: payload.sub, aud: payload.aud, clientId: payload.client_id ?? null,
        preferredUsername: payload.preferred_username },
      publicClient,
    };
  },

  // private_key_jwt client authentication: the client signs its assertion with its own
  // key, whose public half the server fetches from the client's jwk-set-url; an assertion
  // signed by another key is refused
  async 'private-key-jwt'() {
    const jwk = JSON.parse(process.env.PRIVATE_JWK);
    const key = await jose.importJWK(jwk, 'RS256');
    const signed = await discover(process.env.CLIENT_ID, undefined, client.PrivateKeyJwt({ key, kid: jwk.kid }));
    const tokens = await client.clientCredentialsGrant(signed, { scope: 'read' });
    const introspected = await client.tokenIntrospection(signed, tokens.access_token);
    const other = await jose.generateKeyPair('RS256');
    let wrongKey = 'accepted';
    try {
      const forged = await discover(process.env.CLIENT_ID, undefined,
        client.PrivateKeyJwt({ key: other.privateKey, kid: jwk.kid }));
      await client.clientCredentialsGrant(forged, { scope: 'read' });
    }
    catch (error) {
      wrongKey = error.error ?? error.message;
    }
    return {
      authMethods: signed.serverMetadata().token_endpoint_auth_methods_supported,
      scope: tokens.scope,
      introspected: { active: introspected.active, clientId: introspected.client_id, sub: introspected.sub },
      wrongKey,
    };
  },

  // discovery, client credentials (client_secret_post), the access token checked against
  // the JWK set, introspection, revocation and introspection again
  async 'client-credentials'(config) {
    const metadata = config.serverMetadata();
    const tokens = await client.clientCredentialsGrant(config, { scope: process.env.SCOPE ?? 'read' });
    const jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri), {});
    const header = jose.decodeProtectedHeader(tokens.access_token);
    const { payload } = await jose.jwtVerify(tokens.access_token, jwks, { issuer: metadata.issuer });
    const active = await client.tokenIntrospection(config, tokens.access_token);
    await client.tokenRevocation(config, tokens.access_token);
    const revoked = await client.tokenIntrospection(config, tokens.access_token);
    return {
      issuer: metadata.issuer,
      tokenEndpoint: metadata.token_endpoint,
      grantTypes: metadata.grant_types_supported,
      kid: header.kid,
      sub: payload.sub,
      scope: tokens.scope,
      introspected: { active: active.active, clientId: active.client_id, scope: active.scope },
      afterRevocation: { active: revoked.active },
    };
  },
};

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

// the tests run on loopback without TLS
function discover(clientId, secret, authentication) {
  return client.discovery(new URL(process.env.ISSUER), clientId, secret, authentication,
    { execute: [client.allowInsecureRequests] });
}

const flow = flows[process.argv[2]];
if (!flow) {
  console.error(`unknown flow '${process.argv[2]}' (expected: one of ${Object.keys(flows).join(', ')})`);
  process.exit(2);
}
try {
  const config = await discover(process.env.CLIENT_ID, process.env.CLIENT_SECRET);
  console.log(JSON.stringify(await flow(config)));
}
catch (error) {
  let detail = '';
  if (error.cause instanceof Response) {
    detail = ` (${error.cause.status} ${error.cause.url}: ${await error.cause.text()})`;
  }
  else if (error.cause) {
    detail = ` (${JSON.stringify(error.cause)})`;
  }
  console.error(`${error.name}: ${error.message}${detail}`);
  process.exit(1);
}
