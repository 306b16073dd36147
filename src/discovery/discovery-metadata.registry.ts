import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** The metadata documents a module can contribute to: RFC 8414 §3 and OpenID Connect Discovery 1.0 §4. */
export type MetadataDocument = 'oauth-authorization-server' | 'openid-configuration';

/** Every document; a contribution goes into all of them unless it names some. */
export const METADATA_DOCUMENTS: readonly MetadataDocument[] = ['oauth-authorization-server', 'openid-configuration'];

/** What a contribution is given: the issuer URL (no trailing slash), to build endpoint URLs from. */
export interface MetadataContext {
  issuer: string;
}

/** Metadata fields by their registered names (RFC 8414 §2, OIDC Discovery §3): strings, booleans, arrays of strings. */
export type MetadataFields = Record<string, unknown>;

/**
 * Field order of the documents, as RFC 8414 §2 lists them (the order clients and people read);
 * fields not named here follow in the order they were first contributed.
 */
const FIELD_ORDER = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'device_authorization_endpoint',
  'introspection_endpoint',
  'jwks_uri',
  'grant_types_supported',
  'response_types_supported',
  'scopes_supported',
  'token_endpoint_auth_methods_supported',
  'revocation_endpoint_auth_methods_supported',
  'introspection_endpoint_auth_methods_supported',
  'code_challenge_methods_supported',
  'authorization_response_iss_parameter_supported',
  'service_documentation',
];

interface Contribution {
  documents: readonly MetadataDocument[];
  fields: (ctx: MetadataContext) => MetadataFields;
}

/**
 * The authorization server's metadata, assembled from what the modules contribute: the module
 * that owns an endpoint or a capability advertises it, and nothing else changes. The discovery
 * module serves `/.well-known/oauth-authorization-server` from it (RFC 8414 §3).
 *
 * To contribute, inject the registry (import DiscoveryModule) and call `contribute` from your
 * module's constructor:
 *
 * ```ts
 * discovery.contribute(({ issuer }) => ({ device_authorization_endpoint: `${issuer}/oauth/device_authorization` }));
 * // Only in the OpenID Connect document (OIDC Discovery 1.0 §3):
 * discovery.contribute(({ issuer }) => ({ userinfo_endpoint: `${issuer}/oauth/userinfo` }), ['openid-configuration']);
 * ```
 *
 * - `fields` is called each time a document is built (per request; keep it cheap), so it may read
 *   state that grows after start-up, such as the grant types registered so far.
 * - `documents` (default: all of them) names the documents the fields go into. Serving another
 *   document, e.g. `/.well-known/openid-configuration`, is one route returning `document(name)`.
 * - Merging: arrays contributed to the same field by several modules are joined (first
 *   appearance order, no repeats), so `response_types_supported` may gain values from each;
 *   an `undefined` value contributes nothing; any other field contributed twice must carry the
 *   same value, or `document` throws (two modules disagreeing is a bug to see, not to hide).
 */
@Injectable()
export class DiscoveryMetadataRegistry {
  private readonly contributions: Contribution[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Adds `fields` to `documents` (every document by default). */
  contribute(fields: (ctx: MetadataContext) => MetadataFields, documents: readonly MetadataDocument[] = METADATA_DOCUMENTS): void {
    this.contributions.push({ documents, fields });
  }

  /**
   * The document `name`, merged from the contributions (see the class comment), fields in RFC 8414
   * §2 order. Throws an Error when two contributions set one non-array field to different values.
   */
  document(name: MetadataDocument): MetadataFields {
    const ctx: MetadataContext = { issuer: this.config.issuer };
    const merged = new Map<string, unknown>();
    for (const c of this.contributions) {
      if (!c.documents.includes(name)) continue;
      for (const [key, value] of Object.entries(c.fields(ctx))) {
        if (value === undefined) continue;
        const had = merged.get(key);
        if (had === undefined) merged.set(key, value);
        else if (Array.isArray(had) && Array.isArray(value)) merged.set(key, [...new Set([...had, ...value])]);
        else if (JSON.stringify(had) !== JSON.stringify(value))
          throw new Error(`Discovery metadata ${key} is contributed twice, as ${JSON.stringify(had)} and ${JSON.stringify(value)}`);
      }
    }
    const rank = (key: string) => {
      const i = FIELD_ORDER.indexOf(key);
      return i === -1 ? FIELD_ORDER.length : i;
    };
    // Array.prototype.sort is stable: unlisted fields keep their contribution order.
    return Object.fromEntries([...merged].sort((a, b) => rank(a[0]) - rank(b[0])));
  }
}
