/**
 * `npm run local` (`tsx local/start.ts`): starts the local stack on loopback, prints the
 * environment as `export` lines, then stays up printing audit events and quarantined
 * messages until Ctrl-C. A bad flag exits 2 with the reason and the usage.
 */
import { LOCAL_USAGE, parseLocalArgs, runLocal, UsageError } from './local-command';

async function main(): Promise<void> {
  let args;
  try {
    args = parseLocalArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${LOCAL_USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${LOCAL_USAGE}\n`);
    return;
  }
  const stack = await runLocal(args, { out: (line) => process.stdout.write(`${line}\n`), note: (line) => process.stderr.write(`${line}\n`) });
  const stop = (): void => {
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
