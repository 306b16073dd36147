import { randomBytes } from 'node:crypto';
import type { CliCommand, CliContext } from '../cli-command';

/** Prints a fresh SESSION_KEYS value. Rotation: prepend a new key, drop the oldest later. */
export class KeyGenerateCommand implements CliCommand {
  readonly name = 'key:generate';
  readonly summary = 'Print a new random session key (base64url, 32 bytes) for SESSION_KEYS';
  readonly usage = '';
  readonly options = {};
  readonly needsApp = false;

  async run(ctx: CliContext): Promise<void> {
    ctx.print(randomBytes(32).toString('base64url'));
  }
}
