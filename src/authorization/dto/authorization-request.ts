import type { Client } from '../../clients/client.entity';

/** An authorization request that passed every check of the authorization endpoint. */
export interface AuthorizationRequest {
  client: Client;
  /** Where the answer goes: the given redirect_uri, or the only registered one. */
  redirectUri: string;
  /** The request named redirect_uri, so the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  state?: string;
  /** Requested scopes: registered, and allowed for the client. */
  scopes: string[];
  /** S256 challenge; null only for a confidential client where configuration relaxes PKCE. */
  codeChallenge: string | null;
  /** What each code-flow extension made of its own parameters (CodeFlowExtensionRegistry), by its key. */
  extensions: Readonly<Record<string, unknown>>;
}

/** The request parameters the consent form carries back in hidden fields. */
export const AUTHORIZATION_PARAM_NAMES = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;
export type AuthorizationParamName = (typeof AUTHORIZATION_PARAM_NAMES)[number];
