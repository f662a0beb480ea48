/**
 * Runs one scenario in a child process, so that `npm start` can run plain Global Tables
 * and Concord at once on two cores. Each run is deterministic on its own; running them
 * side by side changes their real time only.
 *
 * The child is this module forked with the parent's `execArgv` (tsx's loader under
 * `npm start`). The scenario crosses the process boundary without its rules (functions
 * do not serialise): the child uses the example rule set, so only scenarios on it run
 * in a child.
 */
import { fork } from 'node:child_process';
import exampleRules from '../rules/example';
import { LabError } from './errors';
import { runScenario, type RunOutcome, type RunProgress } from './run';
import type { RunMode, Scenario } from './scenario';

interface Request {
  readonly scenario: Omit<Scenario, 'rules'>;
  readonly mode: RunMode;
}

type Reply = { readonly progress: RunProgress } | { readonly outcome: RunOutcome } | { readonly error: string };

/** True when a scenario can run in a child: it uses the example rules. */
export function runsInChild(scenario: Scenario): boolean {
  return scenario.rules === exampleRules;
}

/**
 * Runs a scenario in a forked child process.
 *
 * @throws LabError when the scenario has other rules than the example's, or the child fails
 * @example
 * const [lww, concord] = await Promise.all([runScenarioInChild(scenario, RunMode.Lww, show), runScenario(scenario, RunMode.Concord)]);
 */
export function runScenarioInChild(scenario: Scenario, mode: RunMode, onProgress?: (progress: RunProgress) => void): Promise<RunOutcome> {
  if (!runsInChild(scenario)) return Promise.reject(new LabError('only scenarios on the example rule set run in a child process'));
  const { rules: _rules, ...portable } = scenario;
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      if (child.connected) child.disconnect();
      finish();
    };
    child.on('message', (reply: Reply) => {
      if ('progress' in reply) onProgress?.(reply.progress);
      else if ('outcome' in reply) settle(() => resolve(reply.outcome));
      else settle(() => reject(new LabError(`the ${mode} run failed in its child process: ${reply.error}`)));
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('exit', (code) => settle(() => reject(new LabError(`the ${mode} run's child process exited with code ${code ?? 'null'} before it answered`))));
    child.send({ scenario: portable, mode } satisfies Request);
  });
}

/** The child's side: run the scenario it is sent, report progress, answer the outcome. */
function serveParent(): void {
  process.once('message', (request: Request) => {
    const send = (reply: Reply): void => void process.send?.(reply);
    runScenario({ ...request.scenario, rules: exampleRules }, request.mode, { onProgress: (progress) => send({ progress }) }).then(
      (outcome) => send({ outcome }),
      (error: unknown) => send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

if (process.send !== undefined && require.main === module) serveParent();
