import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigValidationError } from '../config/app-config';
import { configurationHelp, loadAppConfig } from '../configuration';
import type { CliCommand, CliFlags } from './cli-command';
import { CliError } from './cli-error';
import { withApplicationContext } from './application-context';
import { COMMANDS, findCommand } from './command-registry';

type Print = (line: string) => void;

const INVOCATION = 'npm run cli -- <command> [flags]   (production image: node dist/src/cli/cli.js <command> [flags])';

function commandUsage(c: CliCommand): string {
  return `${c.name}${c.usage ? ` ${c.usage}` : ''}`;
}

function printHelp(print: Print): void {
  print("Gatehouse operators' CLI");
  print('');
  print(`Usage: ${INVOCATION}`);
  print('');
  print('Commands:');
  for (const c of COMMANDS) {
    print(`  ${commandUsage(c)}`);
    print(`      ${c.summary}`);
  }
  print('');
  print('Configuration comes from the same environment variables as the server:');
  for (const line of configurationHelp()) print(line);
  print('');
  print('Exit codes: 0 done, 1 failed, 2 usage error.');
}

function parseFlags(command: CliCommand, args: string[]): CliFlags {
  try {
    const { values } = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (err) {
    // Node's messages carry a long hint about positionals; the first sentence is the useful part.
    const reason = err instanceof Error ? err.message.split('. ')[0] : String(err);
    throw CliError.usage(`${reason}\nUsage: ${commandUsage(command)}`);
  }
}

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: string[], print: Print, printError: Print): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp(name ? print : printError);
    return name ? 0 : 2;
  }
  try {
    const command = findCommand(name);
    if (!command) throw CliError.usage(`Unknown command "${name}". Run with --help to list the commands.`);
    const flags = parseFlags(command, rest);
    if (flags.help) {
      print(`Usage: ${commandUsage(command)}\n${command.summary}`);
      return 0;
    }
    if (!command.needsApp) {
      await command.run({
        flags,
        print,
        get: () => {
          throw new Error(`${command.name} has no application context`);
        },
      });
      return 0;
    }
    // Validated up front so that a bad environment reads as a configuration message, not a Nest stack.
    loadAppConfig(process.env);
    await withApplicationContext((app) => command.run({ flags, print, get: (token) => app.get(token, { strict: false }) }));
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      printError(`Error: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof ConfigValidationError) {
      printError(err.message);
      return 1;
    }
    printError(`Failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then((code) => process.exit(code));
}
