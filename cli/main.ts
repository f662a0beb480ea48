/**
 * `concord <command>`: finds the command, parses its command line, runs it and prints
 * its result (text, or one JSON document with `--json`); failures are named on stderr
 * and set the exit status (see exit-code.ts).
 */
import { formatHelp, parseCommandLine } from './args';
import type { Command } from './command';
import { reportFailure } from './errors';
import { ExitCode } from './exit-code';
import type { CliIo } from './io';
import { Session } from './session';
import { columns } from './text';
import { adoptCommand } from './commands/adopt';
import { checkRulesCommand } from './commands/check-rules';
import { escalationsCommand } from './commands/escalations';
import { inspectCommand } from './commands/inspect';
import { quarantineListCommand, quarantineReplayCommand, quarantineShowCommand } from './commands/quarantine';
import { redriveCommand } from './commands/redrive';
import { resolveCommand } from './commands/resolve';
import { shadowCommand } from './commands/shadow';

/** Every command, in the order `concord --help` lists them. */
export const COMMANDS: readonly Command[] = [inspectCommand, escalationsCommand, resolveCommand, redriveCommand, quarantineListCommand, quarantineShowCommand, quarantineReplayCommand, shadowCommand, adoptCommand, checkRulesCommand];

const OVERVIEW = `usage: concord <command> [arguments] [options]

Operates Concord: looks at items, settles escalations, redrives failed batches, replays
quarantined records, tries candidate rules on recorded conflicts, adopts existing tables
and checks rules. Every command takes --help and --json, and reads the resolver's
settings: CONCORD_TABLE, AWS_REGION, CONCORD_RULES, CONCORD_AUDIT_BUS,
CONCORD_QUARANTINE_QUEUE_URL and the AWS_ENDPOINT_URL_<SERVICE> endpoints.

exit status: 0 ok · 1 problems found or work left undone · 2 usage error ·
             3 missing or unusable setting · 4 an AWS call failed`;

/**
 * Runs one command line.
 *
 * @returns the exit status
 * @example
 * process.exitCode = await runCli(['inspect', 'CART#42', 'CART', '--json'], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout).write(`${overview()}\n`);
    return first === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  const command = findCommand(argv);
  if (command === undefined) {
    io.stderr.write(`concord: unknown command ${JSON.stringify(argv.slice(0, 2).join(' '))}\n\n${overview()}\n`);
    return ExitCode.Usage;
  }
  const rest = argv.slice(command.name.split(' ').length);
  let session: Session | undefined;
  try {
    const args = parseCommandLine(rest, command);
    if (args.flag('help')) {
      io.stdout.write(formatHelp(command.name, command.usage, command.description, command.options));
      return ExitCode.Ok;
    }
    session = new Session(args, io);
    const result = await command.run(session);
    io.stdout.write(session.json ? `${JSON.stringify(result.data, null, 2)}\n` : result.text);
    return result.exitCode;
  } catch (error) {
    const failure = reportFailure(error);
    io.stderr.write(`concord ${command.name}: ${failure.message}\n`);
    if (rest.includes('--json')) io.stdout.write(`${JSON.stringify(failure.data, null, 2)}\n`);
    return failure.exitCode;
  } finally {
    session?.close();
  }
}

/** The command an argument list starts with: `quarantine list` before `quarantine`. */
function findCommand(argv: readonly string[]): Command | undefined {
  const candidates = [...COMMANDS].sort((a, b) => b.name.length - a.name.length);
  return candidates.find((command) => command.name.split(' ').every((word, index) => argv[index] === word));
}

function overview(): string {
  return `${OVERVIEW}\n\ncommands:\n${columns(COMMANDS.map((command) => [command.name, command.summary]))}\n\nconcord <command> --help tells more.`;
}
