'use strict';
/**
 * Package-time: bundles the deploy-time custom resource functions
 * (functions/custom-resources/*.ts) into the minified CommonJS source that
 * CloudFormation ships inline (`Code.ZipFile`, at most 4096 characters, saved as
 * index.js). The AWS SDK stays external: the Lambda Node.js runtime provides it.
 * Used as `${file(resources/inline-code.js):<name>}`.
 */
const { buildSync } = require('esbuild');
const { join } = require('node:path');

/** CloudFormation's limit for inline Lambda code. */
const ZIP_FILE_LIMIT = 4096;

/**
 * The bundled source of `functions/custom-resources/<name>.ts`, exporting `handler`.
 *
 * @example
 * inlineSource('stream-arn-lookup').length; // well under 4096
 */
function inlineSource(name) {
  const result = buildSync({
    // The entry assigns `handler` to CommonJS `exports` itself: everything else is
    // tree-shaken and renamed, and esbuild's export helpers (a tenth of the budget) stay out.
    stdin: { contents: `import { handler } from './${name}'; exports.handler = handler;`, resolveDir: join(__dirname, '..', 'functions', 'custom-resources'), loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    // Serverless would read `${...}` in the returned source as its own variables.
    supported: { 'template-literal': false },
    logLevel: 'silent',
  });
  const source = result.outputFiles[0].text.trim();
  if (source.includes('${')) throw new Error(`functions/custom-resources/${name}.ts bundles to code containing "\${", which serverless would resolve as a variable`);
  if (source.length > ZIP_FILE_LIMIT) {
    throw new Error(`functions/custom-resources/${name}.ts bundles to ${source.length} characters; inline Lambda code allows ${ZIP_FILE_LIMIT}`);
  }
  return source;
}

module.exports = {
  inlineSource,
  ZIP_FILE_LIMIT,
  streamArnLookup: () => inlineSource('stream-arn-lookup'),
  keyReplicas: () => inlineSource('key-replicas'),
};
