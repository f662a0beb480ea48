/**
 * The rule set the resolver merges with: the module named by `CONCORD_RULES`, or the
 * example rule set. Loaded and checked at cold start, like the configuration.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import exampleRules from '../../rules/example';
import { ConfigurationError } from '../errors';
import { isRuleSet } from '../rules/define-rules';
import type { RuleSet } from '../rules/types';

const VARIABLE = 'CONCORD_RULES';

/**
 * Loads the rule set: `CONCORD_RULES` is a module path (absolute, or relative to the
 * working directory, which is the package root on Lambda and under `serverless invoke
 * local`) whose default export, or `module.exports`, is a `defineRules(...)` result.
 * Packaging bundles the module named at package time to `dist/rules/<name>.js` and
 * sets the variable to that (resources/stage-environment.js). Unset, the example rule set.
 *
 * @throws ConfigurationError when the module cannot be loaded or exports no rule set
 * @throws RuleValidationError (as the cause) when the module's own `defineRules` call fails
 * @example
 * // CONCORD_RULES=dist/rules/shop.js
 * const rules = loadRules();
 */
export function loadRules(env: NodeJS.ProcessEnv = process.env): RuleSet {
  const path = env[VARIABLE]?.trim();
  if (path === undefined || path === '') return exampleRules;
  return loadRulesModule(path, VARIABLE);
}

/**
 * Loads the rule set of the module at `path` (absolute, or relative to the working
 * directory); `setting` names where the path came from, for the error.
 *
 * @throws ConfigurationError naming `setting` when the module cannot be loaded or exports no rule set
 * @throws RuleValidationError (as the cause) when the module's own `defineRules` call fails
 * @example
 * const candidate = loadRulesModule('./rules/next.ts', '--rules');
 */
export function loadRulesModule(path: string, setting: string): RuleSet {
  let loaded: unknown;
  try {
    loaded = moduleLoader()(resolve(process.cwd(), path));
  } catch (error) {
    throw new ConfigurationError(setting, `names a module that could not be loaded (${path}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const exported = (loaded as { default?: unknown } | null)?.default ?? loaded;
  if (!isRuleSet(exported)) {
    throw new ConfigurationError(setting, `names a module (${path}) whose default export is not a rule set: export the result of defineRules({...})`);
  }
  return exported;
}

/**
 * The module system's own `require` where there is one (the CommonJS bundle on Lambda;
 * tsx and jest, which also load TypeScript), else Node's. Relative paths are resolved
 * against the working directory first: the path is the deployer's, and bundling moves
 * this file.
 */
function moduleLoader(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'));
}
