'use strict';
/**
 * Package-time parts of the resolver's environment (functions/resolver/function.yml),
 * used as `${file(resources/stage-environment.js):<name>}`.
 *
 * - `overrides`: the shell's CONCORD_* variables, for the local stage `dev` only, so
 *   that `serverless invoke local` runs against `npm run local`'s endpoints. Any other
 *   stage ignores them (and says so): a terminal holding the local exports must not
 *   bake `concord-dev` or a 127.0.0.1 URL into a deployable template.
 * - `rules` / `rulesPatterns`: the rules module the resolver loads (CONCORD_RULES of
 *   the shell on stage `dev`, else the `rules` param), a `.ts` or `.js` path relative
 *   to the project root. It is bundled here with esbuild into one CommonJS file under
 *   RULES_FOLDER, which the resolver's package includes (serverless-esbuild copies the
 *   package patterns next to the handler, for `invoke local` as for a deploy), and
 *   CONCORD_RULES names that file relative to the package root. Empty: the example rules.
 */
const { buildSync } = require('esbuild');
const { rmSync } = require('node:fs');
const { basename, extname, isAbsolute, join, relative } = require('node:path');

/** The stage whose shell variables `invoke local` honours. */
const LOCAL_STAGE = 'dev';
/** Where bundled rules modules are written, relative to the project root (and the package root). */
const RULES_FOLDER = join('dist', 'rules');
const PROJECT_ROOT = join(__dirname, '..');

/** The shell variables that would point a deployment at the local stack. */
function localVariables(env) {
  return Object.keys(env)
    .filter((name) => (name.startsWith('CONCORD_') || name.startsWith('AWS_ENDPOINT_URL')) && env[name] !== '')
    .sort();
}

/** The stage being packaged or invoked. */
async function stageOf(resolveVariable) {
  return String(await resolveVariable('sls:stage'));
}

let noted = false;

/** The shell's CONCORD_* values on the local stage; nothing (and one note naming what was ignored) on any other. */
async function overrides({ resolveVariable }) {
  const stage = await stageOf(resolveVariable);
  const names = localVariables(process.env);
  if (stage !== LOCAL_STAGE) {
    if (names.length > 0 && !noted) process.stderr.write(`concord: stage ${stage} ignores the shell's ${names.join(', ')} (local overrides apply to stage ${LOCAL_STAGE} only)\n`);
    noted = true;
    return {};
  }
  // CONCORD_RULES is handled by `rules`: it names a file that must be bundled first.
  return Object.fromEntries(names.filter((name) => name.startsWith('CONCORD_') && name !== 'CONCORD_RULES').map((name) => [name, process.env[name]]));
}

/** The rules module named for this stage, relative to the project root; '' for the example rules. */
async function rulesSource(resolveVariable) {
  const shell = process.env.CONCORD_RULES?.trim();
  if ((await stageOf(resolveVariable)) === LOCAL_STAGE && shell) return shell;
  return String((await resolveVariable('param:rules')) ?? '').trim();
}

/**
 * Bundles a rules module (TypeScript or JavaScript, with what it imports) into
 * `dist/rules/<name>.js` and returns that path, relative to the project root.
 *
 * @example
 * bundleRules('rules/shop.ts'); // 'dist/rules/shop.js'
 */
function bundleRules(source) {
  const entry = isAbsolute(source) ? source : join(PROJECT_ROOT, source);
  const outfile = join(RULES_FOLDER, `${basename(source, extname(source))}.js`);
  // One bundle at a time: the folder is shipped as it is.
  rmSync(join(PROJECT_ROOT, RULES_FOLDER), { recursive: true, force: true });
  try {
    buildSync({ entryPoints: [entry], outfile: join(PROJECT_ROOT, outfile), bundle: true, platform: 'node', target: 'node22', format: 'cjs', keepNames: true, external: ['@aws-sdk/*'], logLevel: 'silent' });
  } catch (error) {
    const reasons = (error.errors ?? []).map((problem) => problem.text).join('; ');
    throw new Error(`concord: the rules module ${source} (relative to ${PROJECT_ROOT}) could not be bundled: ${reasons || error.message}`, { cause: error });
  }
  return relative(PROJECT_ROOT, join(PROJECT_ROOT, outfile));
}

const bundled = new Map();

/** CONCORD_RULES of the packaged resolver: the bundled rules module (built once per run), or '' for the example rules. */
async function rules({ resolveVariable }) {
  const source = await rulesSource(resolveVariable);
  if (source === '') return '';
  if (!bundled.has(source)) bundled.set(source, bundleRules(source));
  return bundled.get(source);
}

/** The resolver's package patterns: the bundled rules module, if any. */
async function rulesPatterns(context) {
  const path = await rules(context);
  return path === '' ? [] : [path];
}

module.exports = { overrides, rules, rulesPatterns, bundleRules, localVariables, LOCAL_STAGE, RULES_FOLDER };
