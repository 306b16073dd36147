import { AuditService } from '../../audit/audit.service';
import { JWT_SIGNING_ALGS, type JwtSigningAlg } from '../../clients/client-types';
import { SigningKeysService } from '../../signing-keys/signing-keys.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { auditOperatorAction } from '../operator-audit';

/**
 * Adds a new JWT signing key. It is published in the JWKS at once and signs only after the
 * pre-publication delay, so resource servers with a cached JWKS already know it; older keys
 * stay published until the tokens they signed have expired.
 */
export class KeyRotateCommand implements CliCommand {
  readonly name = 'key:rotate';
  readonly summary = 'Add a new JWT signing key: published now, signing after SIGNING_KEY_PREPUBLISH_SECONDS';
  readonly usage = '[--alg ES256|RS256] [--prepublish-seconds N]';
  readonly options = { alg: { type: 'string' }, 'prepublish-seconds': { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const alg = (ctx.flags.alg as string | undefined) ?? 'ES256';
    if (!(JWT_SIGNING_ALGS as readonly string[]).includes(alg)) throw new CliError(`--alg must be one of ${JWT_SIGNING_ALGS.join(', ')}`);
    const raw = ctx.flags['prepublish-seconds'] as string | undefined;
    if (raw !== undefined && !/^\d{1,6}$/.test(raw)) throw new CliError('--prepublish-seconds must be a whole number of seconds');
    const key = await ctx.get(SigningKeysService).rotate(alg as JwtSigningAlg, raw === undefined ? undefined : Number(raw) * 1000);
    await auditOperatorAction(
      ctx.get(AuditService),
      'signing_key.rotate',
      { type: 'signing_key', id: key.kid },
      { alg, activeFrom: key.activeFrom.toISOString() },
    );
    ctx.print(`New ${alg} signing key ${key.kid}: published now, signs from ${key.activeFrom.toISOString()}`);
  }
}
