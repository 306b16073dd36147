import { BadRequestException, ConflictException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { readFileSync } from 'node:fs';
import { AuditService } from '../../audit/audit.service';
import { CreateSsoConnectionDto } from '../../sso-connections/dto/sso-connection.dto';
import { SsoLifecycleService } from '../../sso-connections/sso-lifecycle.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { optionalString, requiredString } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/**
 * Adds an upstream OpenID Connect connection, as the admin API does (discovery fetched and
 * checked). The client secret is read from a file or SSO_CLIENT_SECRET, never from a flag
 * (flags end up in shell history and `ps`).
 */
export class SsoCreateCommand implements CliCommand {
  readonly name = 'sso:create';
  readonly summary = 'Add a single sign-on connection to an OpenID Connect IdP (secret from a file or SSO_CLIENT_SECRET)';
  readonly usage =
    '--slug S --name N --issuer URL --client-id ID [--client-secret-file F] [--domain D]... [--require-domain D]... [--role R]... [--scope S]... [--email-claim C] [--name-claim C] [--trust-email] [--upstream-mfa]';
  readonly options = {
    slug: { type: 'string' },
    name: { type: 'string' },
    issuer: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret-file': { type: 'string' },
    domain: { type: 'string', multiple: true },
    'require-domain': { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    scope: { type: 'string', multiple: true },
    'email-claim': { type: 'string' },
    'name-claim': { type: 'string' },
    'trust-email': { type: 'boolean' },
    'upstream-mfa': { type: 'boolean' },
  } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const file = optionalString(ctx.flags, 'client-secret-file');
    let clientSecret = process.env.SSO_CLIENT_SECRET;
    if (file) {
      try {
        clientSecret = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new CliError(`Cannot read ${file}: ${(err as Error).message}`);
      }
    }
    if (!clientSecret) throw CliError.usage('Give the client secret in --client-secret-file or SSO_CLIENT_SECRET');
    const dto = plainToInstance(CreateSsoConnectionDto, {
      slug: requiredString(ctx.flags, 'slug'),
      name: requiredString(ctx.flags, 'name'),
      issuer: requiredString(ctx.flags, 'issuer'),
      clientId: requiredString(ctx.flags, 'client-id'),
      clientSecret,
      allowedDomains: ctx.flags.domain,
      requiredDomains: ctx.flags['require-domain'],
      defaultRoles: ctx.flags.role,
      scopes: ctx.flags.scope,
      emailClaim: optionalString(ctx.flags, 'email-claim'),
      nameClaim: optionalString(ctx.flags, 'name-claim'),
      trustEmail: ctx.flags['trust-email'] ?? undefined,
      upstreamMfa: ctx.flags['upstream-mfa'] ?? undefined,
    });
    const problems = await validate(dto, { forbidUnknownValues: false });
    if (problems.length > 0) throw CliError.usage(problems.flatMap((p) => Object.values(p.constraints ?? {})).join('; '));
    let view;
    try {
      view = await ctx.get(SsoLifecycleService).create(dto);
    } catch (err) {
      if (err instanceof BadRequestException || err instanceof ConflictException) throw new CliError(err.message);
      throw err;
    }
    await auditOperatorAction(
      ctx.get(AuditService),
      'admin.sso.create',
      { type: 'sso_connection', id: view.id },
      { slug: view.slug, issuer: view.issuer },
    );
    ctx.print(`Created connection ${view.slug} (${view.name}), id ${view.id}`);
    ctx.print(`Register this redirect URI at the IdP: ${view.redirectUri}`);
  }
}
