/**
 * The resolver Lambda. Configuration and rules are read and validated at cold start: a
 * bad variable fails the first invocation with its name. The clients time out every
 * request (CONCORD_REQUEST_TIMEOUT_MS); endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_*` variables, retries from `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`.
 */
import { createResolverClients, createResolverHandler, loadConfig, loadRules, loadShadowRules } from '../../shared/resolver';

const config = loadConfig();

export const handler = createResolverHandler({ config, rules: loadRules(), shadowRules: loadShadowRules(), ...createResolverClients(config) });
