/**
 * `npm start` (`tsx lab/cli.ts`): the lab's command (./command.ts) on this process,
 * the baseline run in a child process beside it (./run-child.ts).
 * The resolver's Powertools logs and EMF metrics are silenced unless asked for
 * (`quietLabEnvironment`).
 */
import { quietLabEnvironment, runLabCommand } from './command';

quietLabEnvironment(process.env);

runLabCommand(process.argv.slice(2), process, { parallel: true }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
