import { join, relative } from 'node:path';
import exampleRules from '../../rules/example';
import { ConfigurationError, RuleValidationError } from '../errors';
import { strictRules } from '../../test/helpers/resolver-rules';
import { loadRules } from './load-rules';

const HELPERS = join(__dirname, '../../test/helpers');

/** The error `loadRules` throws for `env`. */
function loadError(env: NodeJS.ProcessEnv): ConfigurationError {
  try {
    loadRules(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('loadRules accepted the environment');
}

describe('loadRules', () => {
  it('uses the example rule set when CONCORD_RULES is unset', () => {
    // Act
    const rules = loadRules({});

    // Assess
    expect(rules).toBe(exampleRules);
  });

  it('loads the default export of the module CONCORD_RULES names by absolute path', () => {
    // Act
    const rules = loadRules({ CONCORD_RULES: join(HELPERS, 'resolver-rules.ts') });

    // Assess
    expect(rules).toBe(strictRules);
  });

  it('resolves a relative path against the working directory', () => {
    // Prepare
    const path = `./${relative(process.cwd(), join(HELPERS, 'resolver-rules.ts'))}`;

    // Act
    const rules = loadRules({ CONCORD_RULES: path });

    // Assess
    expect(rules).toBe(strictRules);
  });

  it('rejects a module whose default export is not a rule set', () => {
    // Prepare
    const path = join(HELPERS, 'resolver-not-rules.ts');

    // Act
    const error = loadError({ CONCORD_RULES: path });

    // Assess
    expect(error).toEqual(new ConfigurationError('CONCORD_RULES', `names a module (${path}) whose default export is not a rule set: export the result of defineRules({...})`));
  });

  it('reports a rule set that fails its own validation, keeping the cause', () => {
    // Act
    const error = loadError({ CONCORD_RULES: join(HELPERS, 'resolver-invalid-rules.ts') });

    // Assess
    expect(error.variable).toBe('CONCORD_RULES');
    expect(error.message).toContain('unknown rule kind "sum"');
    expect(error.cause).toBeInstanceOf(RuleValidationError);
  });

  it('names the variable when the module does not exist', () => {
    // Act
    const error = loadError({ CONCORD_RULES: './no/such/rules.js' });

    // Assess
    expect(error.variable).toBe('CONCORD_RULES');
    expect(error.message).toContain('could not be loaded (./no/such/rules.js)');
  });
});
