import { Injectable } from '@nestjs/common';

/** One live credential of a user, as the admin pages list it (never a secret). */
export interface CredentialSummary {
  kind: string;
  id: string;
  /** What a person recognises it by: a token's name and hint, a session's browser, a client. */
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/**
 * What the user lifecycle and the admin pages need from each kind of credential (sessions,
 * personal access tokens, OAuth grants, …). One adapter per kind, registered in the
 * UserCredentialRegistry, so the owning module's rules for "live" and "revoked" stay its own.
 */
export interface UserCredentialSource {
  readonly kind: string;
  /**
   * What the admin pages call each kind this source lists or counts, plural ("API keys"): its
   * own `kind` and every key of `countLive`. The kind stays the API's and the URL's identifier.
   */
  readonly labels: Readonly<Record<string, string>>;
  listLiveForUser(userId: string): Promise<CredentialSummary[]>;
  /** False when the credential is not this user's or is already ended. */
  revokeOne(userId: string, credentialId: string): Promise<boolean>;
  revokeAllForUser(userId: string): Promise<number>;
  /** Live credentials of every user, by token kind (for the dashboard). */
  countLive(): Promise<Record<string, number>>;
}

/**
 * Every registered credential kind. The module owning a kind registers its adapter from its
 * constructor (as grant handlers and token types do); the user lifecycle ends them all on
 * disable and revoke-all, and the admin pages list, revoke, count and label them through it.
 */
@Injectable()
export class UserCredentialRegistry {
  private readonly sources = new Map<string, UserCredentialSource>();

  register(...sources: UserCredentialSource[]): void {
    for (const source of sources) {
      if (this.sources.has(source.kind)) throw new Error(`Credential kind registered twice: ${source.kind}`);
      this.sources.set(source.kind, source);
    }
  }

  all(): UserCredentialSource[] {
    return [...this.sources.values()];
  }

  find(kind: string): UserCredentialSource | undefined {
    return this.sources.get(kind);
  }

  /** A person-readable, plural name for a kind a source lists or counts; the kind itself if none says. */
  label(kind: string): string {
    for (const source of this.sources.values()) {
      if (Object.hasOwn(source.labels, kind)) return source.labels[kind];
    }
    return kind;
  }
}
