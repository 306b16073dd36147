import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import { SignInHints } from '../sign-in/sign-in-hints';

/** On the way to /oauth/authorize, the sign-in page names the app the person is signing in for. */
@Injectable()
export class AuthorizeSignInHint {
  constructor(
    hints: SignInHints,
    private readonly clients: ClientsService,
  ) {
    hints.register((path) => this.describe(path));
  }

  private async describe(returnPath: string): Promise<string | null> {
    const url = new URL(returnPath, 'http://gatehouse.invalid');
    if (url.pathname !== '/oauth/authorize') return null;
    const clientId = url.searchParams.get('client_id');
    if (!clientId || clientId.length > 100) return null;
    const client = await this.clients.findActiveById(clientId);
    return client ? `to continue to ${client.name}` : null;
  }
}
