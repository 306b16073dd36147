import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientsService } from '../../../src/clients/clients.service';
import type { AccessTokenFormat, JwtSigningAlg } from '../../../src/clients/client-types';
import type { TestApp } from './test-app';

/** Switches a client's access-token settings the way an admin does (the admin API has its own test). */
export async function setTokenSettings(
  t: TestApp,
  clientId: string,
  settings: { accessTokenFormat?: AccessTokenFormat; accessTokenAlg?: JwtSigningAlg; resourceUri?: string | null },
): Promise<void> {
  const clients = t.get<ClientsService>(ClientsService);
  await clients.setTokenSettings(await clients.get(clientId), settings);
}

/** Header and claims of a JWT, without verifying it (what a test inspects). */
export function inspectJwt(token: string) {
  return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
}

export interface OutsideResourceServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A separate API that trusts Gatehouse with no call back: it verifies Bearer JWTs with jose's
 * createRemoteJWKSet against Gatehouse's published JWKS (RFC 9068 §4: signature, typ, iss, aud,
 * exp) and answers 200 with the claims, or 401 with the jose error name.
 */
export async function startOutsideResourceServer(issuer: string, jwksUrl: string, audience: string): Promise<OutsideResourceServer> {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 0 });
  const server: Server = createServer((req, res) => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    jwtVerify(token, jwks, { issuer, audience, typ: 'at+jwt', algorithms: ['ES256', 'RS256'] })
      .then(({ payload }) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload)))
      .catch((err: Error) => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.name })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
