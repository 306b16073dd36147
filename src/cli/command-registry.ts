import type { CliCommand } from './cli-command';
import { ClientCreateCommand } from './commands/client-create.command';
import { ClientListCommand } from './commands/client-list.command';
import { KeyGenerateCommand } from './commands/key-generate.command';
import { KeyRotateCommand } from './commands/key-rotate.command';
import { UserCreateCommand } from './commands/user-create.command';
import { UserDisableCommand } from './commands/user-disable.command';
import { UserEnableCommand } from './commands/user-enable.command';
import { UserListCommand } from './commands/user-list.command';
import { UserResetLinkCommand } from './commands/user-reset-link.command';
import { UserResetPasswordCommand } from './commands/user-reset-password.command';
import { UserRevokeAllCommand } from './commands/user-revoke-all.command';
import { UserUnlockCommand } from './commands/user-unlock.command';
import { UserMfaResetCommand } from './commands/user-mfa-reset.command';
import { SsoCreateCommand } from './commands/sso-create.command';
import { SsoDisableCommand } from './commands/sso-disable.command';
import { SsoListCommand } from './commands/sso-list.command';

/** Every operator command, in `--help` order. Add new commands here (one line each). */
export const COMMANDS: readonly CliCommand[] = [
  new UserCreateCommand(),
  new UserListCommand(),
  new UserResetPasswordCommand(),
  new UserResetLinkCommand(),
  new UserDisableCommand(),
  new UserEnableCommand(),
  new UserRevokeAllCommand(),
  new UserUnlockCommand(),
  new UserMfaResetCommand(),
  new KeyGenerateCommand(),
  new KeyRotateCommand(),
  new ClientCreateCommand(),
  new ClientListCommand(),
  new SsoCreateCommand(),
  new SsoListCommand(),
  new SsoDisableCommand(),
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}
