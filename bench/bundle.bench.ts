/**
 * Size of what Lambda loads at a cold start.
 * - resolverBundleBytes: functions/resolver/handler.ts bundled with the options
 *   serverless-esbuild packages it with (resources/esbuild.config.js: CommonJS,
 *   minified, AWS SDK external). Goal ≤ 150 KB (153,600 bytes).
 * - streamLookupInlineChars / keyReplicasInlineChars: the deploy-time custom resources
 *   shipped inline; CloudFormation allows 4096 characters.
 * Built here with esbuild's API rather than read from `serverless package`'s zip: the
 * same bytes in a tenth of a second instead of seconds.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { resolverBuildOptions } from '../resources/esbuild.config';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inlineSource } = require('../resources/inline-code.js') as { inlineSource(name: string): string };

const ROOT = join(__dirname, '..');
const GOAL_BYTES = 150 * 1024;

/** Bytes of the resolver bundle, built as serverless-esbuild builds it (`exclude` becomes `external`). */
async function resolverBundleBytes(): Promise<number> {
  const { exclude, ...options } = resolverBuildOptions;
  const result = await build({
    ...options,
    external: [...(options.external ?? []), ...exclude],
    entryPoints: [join(ROOT, 'functions', 'resolver', 'handler.ts')],
    absWorkingDir: ROOT,
    write: false,
    outdir: join(ROOT, '.esbuild', 'bench'),
    logLevel: 'silent',
  });
  return result.outputFiles.filter((file) => file.path.endsWith('.js')).reduce((bytes, file) => bytes + file.contents.byteLength, 0);
}

export default {
  title: 'Bundle size (resolver package, inline custom resources)',
  goals: { resolverBundleBytes: { atMost: GOAL_BYTES } },
  async run(): Promise<Record<string, number | boolean>> {
    const bytes = await resolverBundleBytes();
    return {
      resolverBundleBytes: bytes,
      resolverBundleWithinGoal: bytes <= GOAL_BYTES,
      streamLookupInlineChars: inlineSource('stream-arn-lookup').length,
      keyReplicasInlineChars: inlineSource('key-replicas').length,
    };
  },
};
