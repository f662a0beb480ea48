/**
 * The logger the CLI hands to the resolver's modules it reuses: silent, since the CLI
 * reports outcomes itself and its stdout is for results.
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** A Powertools logger that logs nothing. */
export const QUIET_LOGGER = new Logger({ serviceName: 'concord-cli', logLevel: 'SILENT' });
