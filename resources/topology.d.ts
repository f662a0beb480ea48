/** Types of topology.js (CommonJS, loaded by serverless at package time). */
export interface Topology {
  readonly regions: string[];
  readonly primaryRegion: string;
  readonly auditRegion: string;
}

export interface TopologyInput {
  readonly regions: string | readonly string[];
  readonly primaryRegion: string;
  readonly auditRegion: string;
  readonly deployRegion?: string;
}

export class TopologyError extends Error {
  readonly name: 'TopologyError';
}

export function validateTopology(input: TopologyInput): Topology;

/** The topology of the serverless params, checked against `self:provider.region` (the region being packaged). */
export function readTopology(resolveVariable: (name: string) => Promise<unknown>): Promise<Topology>;
