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

/**
 * The regions `kms:ReplicateKey` may create the table key in. With no other region,
 * a name that is no region: IAM refuses an empty condition list, and nothing may be
 * replicated.
 */
async function replicaRegionCondition(context) {
  const regions = await keyReplicaRegions(context);
  return regions.length > 0 ? regions : ['no-replica-region'];
}

/**
 * The CloudWatch dashboard of a stage (in the audit region): conflicts, resolutions,
 * escalations, quarantines and resolution lag, one line per region.
 */
async function dashboardBody({ resolveVariable }) {
  const { regions } = await readTopology(resolveVariable);
  const stage = String(await resolveVariable('sls:stage'));
  const dimensions = ['service', 'concord-resolver', 'table', `concord-${stage}`];
  const perRegion = (metric, stat) => regions.map((region) => ['Concord', metric, ...dimensions, { region, stat, label: region }]);
  const widget = (title, metric, stat, index) => ({
    type: 'metric',
    x: (index % 2) * 12,
    y: Math.floor(index / 2) * 6,
    width: 12,
    height: 6,
    properties: { title, view: 'timeSeries', stacked: false, region: regions[0], period: 300, metrics: perRegion(metric, stat) },
  });
  const widgets = [
    ['Conflicts per region', 'Conflicts', 'Sum'],
    ['Resolutions per region', 'Resolved', 'Sum'],
    ['Escalations per region', 'Escalated', 'Sum'],
    ['Quarantined records per region', 'Quarantined', 'Sum'],
    ['Resolution lag p99 (ms) per region', 'ResolutionLagMs', 'p99'],
    ['Resolution lag p50 (ms) per region', 'ResolutionLagMs', 'p50'],
  ].map(([title, metric, stat], index) => widget(title, metric, stat, index));
  return JSON.stringify({ widgets });
}

module.exports = { TopologyError, validateTopology, readTopology, replicas, keyReplicaRegions, replicaRegionCondition, dashboardBody };
