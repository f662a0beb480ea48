/**
 * The resolver's own context for records the CLI runs through the resolver's logic
 * (redrive, quarantine replay): the resolver's configuration and rules, the CLI's
 * clients, and a silent logger (the CLI reports outcomes itself).
 */
import { withDefaults, type ResolverConfig, type ResolverContext } from '../../../shared/resolver';
import type { RuleSet } from '../../../shared/rules/types';
import type { AwsClients } from '../../clients';
import { QUIET_LOGGER } from '../quiet-logger';


/**
 * The context the resolver's modules take.
 *
 * @example
 * const context = resolverContextOf(session.resolverConfig(), rules, session.clients());
 */
export function resolverContextOf(config: ResolverConfig, rules: RuleSet, clients: AwsClients): ResolverContext {
  return withDefaults({ config, rules, dynamodb: clients.dynamodb(), eventBridge: clients.eventBridge(), sqs: clients.sqs(), s3: clients.s3(), logger: QUIET_LOGGER });
}
