// gen.mjs writes the fixtures in this directory with the npm package
// "jose", an implementation independent of the Go code under test:
//
//	jwks.json    the public keys (one per algorithm, each with kid, alg, use)
//	tokens.json  one signed JWT per algorithm, {"RS256": "eyJ...", ...}
//
// The private keys are thrown away. Every token has the same claims, with
// a far-future exp, so the fixtures never expire. Regenerate with
// (written with jose 6.2 on node 20; run it outside the repository so
// node_modules never lands in it):
//
//	dir=$(mktemp -d) && cp gen.mjs "$dir" && cd "$dir" &&
//	npm install jose && node gen.mjs /path/to/auth/testdata/jwt
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, exportJWK, SignJWT, calculateJwkThumbprint } from 'jose';

const out = process.argv[2] ?? new URL('.', import.meta.url).pathname;

const issuer = 'https://idp.example.test';
const audience = 'gatekit-fixtures';
const claims = {
  sub: 'fixture-user',
  scope: 'pets:read pets:write',
  email: 'fixture@example.test',
};
const issuedAt = Date.UTC(2025, 0, 1) / 1000; // 2025-01-01T00:00:00Z
const expires = Date.UTC(2100, 0, 1) / 1000;  // 2100-01-01T00:00:00Z

const algs = [
  ['RS256', {}],
  ['PS256', {}],
  ['ES256', {}],
  ['ES384', {}],
  ['EdDSA', { crv: 'Ed25519' }],
];

const keys = [];
const tokens = {};
for (const [alg, opts] of algs) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...opts, extractable: true });
  const jwk = await exportJWK(publicKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = alg;
  jwk.use = 'sig';
  keys.push(jwk);
  tokens[alg] = await new SignJWT(claims)
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expires)
    .sign(privateKey);
}

writeFileSync(join(out, 'jwks.json'), JSON.stringify({ keys }, null, 2) + '\n');
writeFileSync(join(out, 'tokens.json'), JSON.stringify(tokens, null, 2) + '\n');
