'use strict';
/**
 * The region topology of a Concord deployment: which regions hold a replica and a
 * resolver, which one owns the global table (primary) and which one the central
 * audit bus. Used at package time by serverless.yml through
 * `${file(resources/topology.js):<name>}` (offline) and by scripts/deploy.ts.
 */

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Thrown for a topology that cannot be deployed; the message names the parameter. */
class TopologyError extends Error {
  constructor(message) {
    super(`Concord topology: ${message}`);
    this.name = 'TopologyError';
  }
}

/**
 * Checks a topology and returns it with `regions` as a list.
 *
 * @example
 * validateTopology({ regions: 'us-east-1,eu-west-1', primaryRegion: 'us-east-1', auditRegion: 'us-east-1' });
 * // { regions: ['us-east-1', 'eu-west-1'], primaryRegion: 'us-east-1', auditRegion: 'us-east-1' }
 */
function validateTopology({ regions, primaryRegion, auditRegion, deployRegion }) {
  const list = (Array.isArray(regions) ? regions : String(regions ?? '').split(',')).map((region) => String(region).trim()).filter(Boolean);
  const known = list.join(',');
  if (list.length === 0) throw new TopologyError('regions is empty (expected e.g. us-east-1,eu-west-1)');
  for (const region of list) if (!REGION.test(region)) throw new TopologyError(`regions has "${region}", which is not a region name`);
  if (new Set(list).size !== list.length) throw new TopologyError(`regions lists a region twice: ${known}`);
  if (!list.includes(primaryRegion)) throw new TopologyError(`primaryRegion ${primaryRegion} is not one of the regions (${known})`);
  if (!list.includes(auditRegion)) throw new TopologyError(`auditRegion ${auditRegion} is not one of the regions (${known})`);
  if (deployRegion !== undefined && !list.includes(deployRegion)) throw new TopologyError(`the deploy region ${deployRegion} is not one of the regions (${known})`);
  return { regions: list, primaryRegion, auditRegion };
}

/** The topology of the serverless params, checked against the region being packaged. */
async function readTopology(resolveVariable) {
  const read = async (name) => String(await resolveVariable(name));
  return validateTopology({
    regions: await read('param:regions'),
    primaryRegion: await read('param:primaryRegion'),
    auditRegion: await read('param:auditRegion'),
    deployRegion: await read('self:provider.region'),
  });
}

/** ARN of the TableKey replica in `region` (multi-Region keys share their key id). */
function tableKeyArnIn(region) {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:kms:${region}:\${AWS::AccountId}:key/\${TableKey}` };
}

/** The GlobalTable's `Replicas`: one per region, PITR on, encrypted with that region's TableKey. */
async function replicas({ resolveVariable }) {
  const { regions } = await readTopology(resolveVariable);
  return regions.map((region) => ({
    Region: region,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { KMSMasterKeyId: tableKeyArnIn(region) },
    DeletionProtectionEnabled: true,
    Tags: [{ Key: 'service', Value: 'concord' }],
  }));
}

/** The regions other than the primary, where TableKey gets a replica key. */
async function keyReplicaRegions({ resolveVariable }) {
  const { regions, primaryRegion } = await readTopology(resolveVariable);
  return regions.filter((region) => region !== primaryRegion);
}

module.exports = { TopologyError, validateTopology, readTopology, replicas, keyReplicaRegions };
