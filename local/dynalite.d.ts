/**
 * Minimal types for dynalite 4 (it ships none): the factory returns a plain Node HTTP
 * server speaking the DynamoDB API; `close()` also closes its store.
 */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
    /** How long a deleted table stays DELETING (default 500 ms). */
    deleteTableMs?: number;
    /** How long an updated table stays UPDATING (default 500 ms). */
    updateTableMs?: number;
    /** Largest item in KB (default 400). */
    maxItemSizeKb?: number;
    /** LevelDB folder; in memory when omitted. */
    path?: string;
    verbose?: boolean;
    debug?: boolean;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
