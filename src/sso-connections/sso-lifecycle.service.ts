import { Injectable } from '@nestjs/common';
import { UserLifecycleService } from '../users/user-lifecycle.service';
import { CreateSsoConnectionDto, UpdateSsoConnectionDto } from './dto/sso-connection.dto';
import { ExternalIdentityView, SsoConnectionView } from './dto/sso-connection.view';
import { ExternalIdentitiesService } from './external-identities.service';
import { SsoConnectionsService } from './sso-connections.service';

/** What admins do to connections and identities: shared by the admin API, the admin pages and the CLI. */
@Injectable()
export class SsoLifecycleService {
  constructor(
    private readonly connections: SsoConnectionsService,
    private readonly identities: ExternalIdentitiesService,
    private readonly users: UserLifecycleService,
  ) {}

  async list(): Promise<SsoConnectionView[]> {
    return (await this.connections.list()).map((c) => this.connections.toView(c));
  }

  async get(id: string): Promise<SsoConnectionView> {
    return this.connections.toView(await this.connections.get(id));
  }

  async create(dto: CreateSsoConnectionDto): Promise<SsoConnectionView> {
    return this.connections.toView(await this.connections.create(dto));
  }

  async update(id: string, dto: UpdateSsoConnectionDto): Promise<{ view: SsoConnectionView; changed: string[] }> {
    const { connection, changed } = await this.connections.update(id, dto);
    return { view: this.connections.toView(connection), changed };
  }

  /**
   * Refuses new sign-ins through the connection at once (start and callback check it). With
   * `endSessions`, every user linked through it loses every session and token too (the one
   * "revoke everything" path), whether they signed in through it or not.
   */
  async disable(id: string, endSessions: boolean): Promise<{ view: SsoConnectionView; usersSignedOut: number }> {
    const { connection } = await this.connections.setEnabled(id, false);
    let usersSignedOut = 0;
    if (endSessions) {
      for (const userId of await this.identities.userIdsOf(connection.id)) {
        await this.users.revokeAllCredentials(userId, 'sso_connection_disabled');
        usersSignedOut++;
      }
    }
    return { view: this.connections.toView(connection), usersSignedOut };
  }

  async enable(id: string): Promise<SsoConnectionView> {
    return this.connections.toView((await this.connections.setEnabled(id, true)).connection);
  }

  async identitiesOf(userId: string): Promise<ExternalIdentityView[]> {
    await this.users.get(userId);
    return (await this.identities.listForUser(userId)).map((i) => this.identities.toView(i));
  }

  async unlink(userId: string, identityId: string): Promise<ExternalIdentityView> {
    return this.identities.toView(await this.identities.unlink(userId, identityId));
  }
}
