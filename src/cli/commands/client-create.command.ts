import { BadRequestException } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { CLIENT_TYPES, ClientType, DEVICE_CODE_GRANT_TYPE, GRANT_TYPES, GrantType } from '../../clients/client-types';
import { ClientsService } from '../../clients/clients.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { existingUser, requiredEmail, requiredString } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/** Registers an OAuth client for a user; prints the client id and (confidential) the secret, once. */
export class ClientCreateCommand implements CliCommand {
  readonly name = 'client:create';
  readonly summary = 'Register an OAuth client owned by a user (prints its secret once)';
  readonly usage = `--owner EMAIL --name N [--type ${CLIENT_TYPES.join('|')}] [--scope S]... [--redirect-uri U]... [--grant-type G]... [--introspection]`;
  readonly options = {
    owner: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    scope: { type: 'string', multiple: true },
    'redirect-uri': { type: 'string', multiple: true },
    'grant-type': { type: 'string', multiple: true },
    introspection: { type: 'boolean' },
  } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail({ email: ctx.flags.owner ?? ctx.flags.email });
    const name = requiredString(ctx.flags, 'name').trim();
    const type = (ctx.flags.type as string | undefined) ?? 'confidential';
    if (!(CLIENT_TYPES as readonly string[]).includes(type)) throw CliError.usage(`--type must be one of ${CLIENT_TYPES.join(', ')}`);
    // `device_code` is accepted as short for the RFC 8628 URN.
    const grantTypes = (ctx.flags['grant-type'] as string[] | undefined)?.map((g) => (g === 'device_code' ? DEVICE_CODE_GRANT_TYPE : g));
    const unknown = grantTypes?.find((g) => !(GRANT_TYPES as readonly string[]).includes(g));
    if (unknown) throw CliError.usage(`Unknown grant type "${unknown}": choose from ${GRANT_TYPES.join(', ')}`);

    const owner = await existingUser(ctx, email);
    let created;
    try {
      created = await ctx.get(ClientsService).register(
        owner,
        {
          name,
          type: type as ClientType,
          scopes: (ctx.flags.scope as string[] | undefined) ?? [],
          redirectUris: (ctx.flags['redirect-uri'] as string[] | undefined) ?? [],
          grantTypes: grantTypes as GrantType[] | undefined,
        },
        { introspectionAllowed: Boolean(ctx.flags.introspection) },
      );
    } catch (err) {
      if (err instanceof BadRequestException) throw CliError.usage(err.message);
      throw err;
    }
    const { client, secret } = created;
    await auditOperatorAction(
      ctx.get(AuditService),
      'client.create',
      { type: 'client', id: client.clientId },
      {
        name: client.name,
        type: client.type,
        ownerId: client.ownerId,
        grantTypes: client.grantTypes,
        scopes: client.allowedScopes,
      },
    );
    ctx.print(`Created ${client.type} client "${client.name}" for ${owner.email}`);
    ctx.print(`client_id:     ${client.clientId}`);
    ctx.print(`grant_types:   ${client.grantTypes.join(' ')}`);
    if (secret) {
      ctx.print(`client_secret: ${secret}`);
      ctx.print('The secret is shown only now; store it in a secret manager.');
    }
  }
}
