import { collectingIo } from '../test/helpers/cli-io';
import { ExitCode } from './exit-code';
import { COMMANDS, runCli } from './main';

describe('runCli', () => {
  it.each(COMMANDS.map((command) => [command.name]))('prints the help of concord %s: usage, what it does, every option', async (name) => {
    // Prepare
    const io = collectingIo();

    // Act
    const code = await runCli([...name.split(' '), '--help'], io);

    // Assess
    expect({ code, usage: io.out().startsWith(`usage: concord ${name} `), json: io.out().includes('--json'), help: io.out().includes('-h, --help') }).toEqual({ code: ExitCode.Ok, usage: true, json: true, help: true });
  });

  it('lists every command and the exit statuses', async () => {
    // Prepare
    const io = collectingIo();

    // Act
    const code = await runCli(['--help'], io);

    // Assess
    expect(code).toBe(ExitCode.Ok);
    for (const command of COMMANDS) expect(io.out()).toContain(`  ${command.name} `);
    expect(io.out()).toContain('exit status: 0 ok · 1 problems found or work left undone · 2 usage error');
  });

  it.each([
    ['no command', [], 'usage: concord <command>'],
    ['an unknown command', ['inspekt'], 'concord: unknown command "inspekt"'],
    ['an unknown flag', ['escalations', '--sinse', '1h'], 'concord escalations: --sinse: unknown flag (see --help)'],
    ['a flag without its value', ['resolve', 'ORDER#1', 'ORDER', '--attribute'], 'concord resolve: --attribute: needs a value (see --help)'],
    ['a missing argument', ['check-rules'], 'concord check-rules: <module>: is missing (see --help)'],
    ['an extra argument', ['escalations', 'now'], 'concord escalations: "now": unexpected argument'],
    ['a number out of range', ['adopt', '--segments', '0'], 'concord adopt: --segments: expected a whole number from 1 to 1000, got "0"'],
    ['a malformed --since', ['escalations', '--since', 'yesterday', '--from-file', 'x'], 'concord escalations: --since: expected a duration back from now'],
  ])('refuses %s, naming it, with exit status 2', async (_case, argv, message) => {
    // Prepare
    const io = collectingIo({ CONCORD_TABLE: 'concord-test', AWS_REGION: 'us-east-1' });

    // Act
    const code = await runCli(argv, io);

    // Assess
    expect({ code, said: io.err().includes(message) }).toEqual({ code: ExitCode.Usage, said: true });
  });

  it('prints a failure as a JSON document too with --json', async () => {
    // Prepare
    const io = collectingIo();

    // Act
    const code = await runCli(['inspect', 'CART#1', 'CART', '--json'], io);

    // Assess
    expect({ code, json: JSON.parse(io.out()) }).toEqual({ code: ExitCode.Configuration, json: { error: { name: 'ConfigurationError', message: 'invalid configuration: CONCORD_TABLE is required: set it, or pass --table', variable: 'CONCORD_TABLE', reason: 'is required: set it, or pass --table' } } });
  });
});
