import { Foundation1763800000000 } from './1763800000000-foundation';
import { PersonalTokens1763800001000 } from './1763800001000-personal-tokens';
import { ClientsAndTokens1763800002000 } from './1763800002000-clients-and-tokens';
import { AuthorizationCodeFlow1763800003000 } from './1763800003000-authorization-code-flow';
import { AuditTargetIndex1763800004000 } from './1763800004000-audit-target-index';
import { DeviceAuthorizations1764000300000 } from './1764000300000-device-authorizations';
import { AccountSelfService1764000500000 } from './1764000500000-account-self-service';
import { Bots1764000700000 } from './1764000700000-bots';
import { JwtAccessTokens1764000400000 } from './1764000400000-jwt-access-tokens';
import { ImpersonationTokens1764000701000 } from './1764000701000-impersonation-tokens';
import { ForeignKeysOnUpdate1764000800000 } from './1764000800000-foreign-keys-on-update';
import { HousekeepingLeases1764000600000 } from './1764000600000-housekeeping-leases';
import { IntrospectionAllowedBoolean1764001100000 } from './1764001100000-introspection-allowed-boolean';
import { PurgeIndexes1764001300000 } from './1764001300000-purge-indexes';
import { AccessTokensPurgeByExpiry1764001300001 } from './1764001300001-access-tokens-purge-by-expiry';
import { MorePurgeIndexes1764001500000 } from './1764001500000-more-purge-indexes';
import { SigningKeyGenesis1764002200000 } from './1764002200000-signing-key-genesis';
import { CredentialEpoch1764002210000 } from './1764002210000-credential-epoch';
import { OutboxMessages1764002220000 } from './1764002220000-outbox-messages';
import { SessionAuthentication1764002400000 } from './1764002400000-session-authentication';
import { OpenIdConnect1764002410000 } from './1764002410000-openid-connect';
import { Passkeys1764002700000 } from './1764002700000-passkeys';
import { Sso1764002500000 } from './1764002500000-sso';
import { Mfa1764002600000 } from './1764002600000-mfa';
import { ClientCredentialEpoch1764002620000 } from './1764002620000-client-credential-epoch';
import { OidcLogout1764002640000 } from './1764002640000-oidc-logout';
import { MfaPolicy1764002800000 } from './1764002800000-mfa-policy';

/** Every migration, in order. Listed explicitly so that ts-node, jest and dist all load the same set. */
export const MIGRATIONS = [
  Foundation1763800000000,
  PersonalTokens1763800001000,
  ClientsAndTokens1763800002000,
  AuthorizationCodeFlow1763800003000,
  AuditTargetIndex1763800004000,
  DeviceAuthorizations1764000300000,
  JwtAccessTokens1764000400000,
  AccountSelfService1764000500000,
  HousekeepingLeases1764000600000,
  Bots1764000700000,
  ImpersonationTokens1764000701000,
  ForeignKeysOnUpdate1764000800000,
  IntrospectionAllowedBoolean1764001100000,
  PurgeIndexes1764001300000,
  AccessTokensPurgeByExpiry1764001300001,
  MorePurgeIndexes1764001500000,
  SigningKeyGenesis1764002200000,
  CredentialEpoch1764002210000,
  OutboxMessages1764002220000,
  SessionAuthentication1764002400000,
  OpenIdConnect1764002410000,
  Sso1764002500000,
  Mfa1764002600000,
  ClientCredentialEpoch1764002620000,
  OidcLogout1764002640000,
  Passkeys1764002700000,
  MfaPolicy1764002800000,
];
