/**
 * `npm start` (`tsx lab/cli.ts`): the lab's command (./command.ts) on this process,
 * the baseline run in a child process beside it (./run-child.ts).
 * The resolver's Powertools logs and EMF metrics are silenced unless asked for: the lab
 * collects the metrics itself, and the terminal is for the comparison.
 */
import { runLabCommand } from './command';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

runLabCommand(process.argv.slice(2), process, { parallel: true }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
