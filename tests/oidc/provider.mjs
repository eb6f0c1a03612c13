// A real OpenID Connect provider for gongdan's tests: npm's oidc-provider (certified), on
// 127.0.0.1, with two clients (RS256 and ES256 ID tokens), a few people, and a sign-in page of
// its own (no outside fonts). Started by tests/integration/oidc_provider.py:
//   node provider.mjs <port> <redirect_uri>
// It prints "ready" when it listens. POST /__control {"mode": …} makes the token endpoint
// misbehave the ways a test needs (its ID token altered after signing, signed by another key,
// expired, for another audience, with another nonce) or rotates the signing keys: the provider
// is rebuilt with new ones, as a real one rotating keys would publish them.
import { createServer } from 'node:http';
import { webcrypto } from 'node:crypto';
import { generateKeyPair, exportJWK, importJWK, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

// Node 18 (Debian 12's) has Web Crypto only under node:crypto; jose looks for the global.
globalThis.crypto ??= webcrypto;

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const PEOPLE = {
  alice: { email: 'alice@example.org', name: 'Alice Agent', groups: ['support'] },
  bob: { email: 'bob@example.org', name: 'Bob Boss', groups: ['support', 'leads'] },
  lilei: { email: 'lilei@example.org', name: '李雷', groups: [] },
  meimei: { email: 'meimei@example.cn', name: '韩梅梅', groups: ['support'] },  // the e2e walk's
};

async function signingKey(alg, kid) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
}

let generation = 1;
let keys = [await signingKey('RS256', 'rsa-1'), await signingKey('ES256', 'ec-1')];
let mode = 'normal';

function configuration() {
  return {
    clients: [
      { client_id: 'gongdan', client_secret: 'gongdan-secret', redirect_uris: [redirectUri],
        grant_types: ['authorization_code'], response_types: ['code'] },
      { client_id: 'gongdan-es', client_secret: 'gongdan-es-secret', redirect_uris: [redirectUri],
        grant_types: ['authorization_code'], response_types: ['code'],
        id_token_signed_response_alg: 'ES256' },
    ],
    jwks: { keys },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key'] },
    async findAccount(ctx, sub) {
      const person = PEOPLE[sub] ?? { email: `${sub}@example.org`, name: sub, groups: ['support'] };
      return {
        accountId: sub,
        async claims() {
          return { sub, email: person.email, email_verified: true, name: person.name, groups: person.groups };
        },
      };
    },
  };
}

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><h1>${title}</h1>${body}</body></html>`;
}

function readBody(req) {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => { text += chunk; });
    req.on('end', () => resolve(text));
  });
}

// The provider's own sign-in: any password is accepted for a login (a test provider); the grant
// covers what was asked for, so there is no consent step.
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Test provider sign-in',
      `<form method="post"><input name="login" aria-label="login" autofocus>` +
      `<input name="password" type="password" aria-label="password">` +
      `<button type="submit">Sign in</button></form>`));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const accountId = form.get('login');
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false });
}

async function resign(claims, kid = keys[0].kid) {
  const jwk = keys.find((k) => k.kid === kid);
  return new SignJWT(claims).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid })
    .sign(await importJWK(jwk, jwk.alg));
}

// The ID token as the current mode has the token endpoint answer it.
async function misbehave(idToken) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'tamper') {  // claims changed after signing, the signature kept
    const [header, , signature] = idToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, email: 'mallory@example.org' })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }
  if (mode === 'forge') {  // signed by a key of the attacker's, naming the provider's kid
    const jwk = await signingKey('RS256', keys[0].kid);
    return new SignJWT({ ...claims, email: 'mallory@example.org' })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(await importJWK(jwk, 'RS256'));
  }
  if (mode === 'expired') return resign({ ...claims, iat: now - 7200, exp: now - 3600 });
  if (mode === 'audience') return resign({ ...claims, aud: 'someone-else' });
  if (mode === 'nonce') return resign({ ...claims, nonce: 'not-this-sign-in' });
  return idToken;
}

function build() {
  const provider = new Provider(issuer, configuration());
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.body?.id_token && mode !== 'normal')
      ctx.body.id_token = await misbehave(ctx.body.id_token);
  });
  return provider;
}

let provider = build();
const server = createServer(async (req, res) => {
  try {
    if (req.url === '/__control' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req));
      if (body.mode === 'rotate') {
        generation += 1;
        keys = [await signingKey('RS256', `rsa-${generation}`), await signingKey('ES256', `ec-${generation}`)];
        provider = build();
        mode = 'normal';
      } else {
        mode = body.mode;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ mode, kid: keys[0].kid }));
    } else if (req.url.startsWith('/interaction/')) {
      await interaction(provider, req, res);
    } else {
      provider.callback()(req, res);
    }
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
