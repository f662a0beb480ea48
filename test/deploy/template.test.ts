/**
 * What `serverless deploy --stage test --region R` would create, read from the
 * template that `serverless package` writes offline (no AWS, no credentials). Two
 * packages per run, made once for the file (about 2-4 s each): the primary region
 * (also the audit region) with an explicit region list, and a secondary region with
 * serverless.yml's defaults.
 */
import exampleRules from '../../rules/example';
import { asList, iamStatements, ofType, packageService, printConfiguration, resourcesIn, type Json, type JsonObject, type PackagedService, type Resource } from '../helpers/cloudformation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inlineSource, ZIP_FILE_LIMIT } = require('../../resources/inline-code.js') as { inlineSource(name: string): string; ZIP_FILE_LIMIT: number };

const PRIMARY = 'us-east-1';
const SECONDARY = 'eu-west-1';
/** Deliberately not the default list, so that replicas must follow the parameter. */
const CONFIGURED_REGIONS = ['us-east-1', 'eu-west-1', 'sa-east-1'];

let primary: PackagedService;
let secondary: PackagedService;
let regionsOf: Record<string, Record<string, Resource>>;

beforeAll(async () => {
  // One after the other: serverless writes its state to the service's .serverless/ even with --package.
  primary = await packageService({ region: PRIMARY, params: [`regions=${CONFIGURED_REGIONS.join(',')}`] });
  secondary = await packageService({ region: SECONDARY });
  regionsOf = { [PRIMARY]: resourcesIn(primary.template, PRIMARY), [SECONDARY]: resourcesIn(secondary.template, SECONDARY) };
}, 300_000);

function only(resources: Record<string, Resource>, type: string): Resource {
  const found = Object.values(ofType(resources, type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as Resource;
}

function props(resource: Resource | undefined): JsonObject {
  if (resource?.Properties === undefined) throw new Error('resource is missing');
  return resource.Properties;
}

const getAtt = (name: string, attribute: string): Json => ({ 'Fn::GetAtt': [name, attribute] });

describe.each([PRIMARY, SECONDARY])('every region (%s)', (region) => {
  const resources = () => regionsOf[region] as Record<string, Resource>;

  it('runs the resolver on nodejs22.x, arm64, under its own role', () => {
    // Act
    const fn = props(resources().ResolverLambdaFunction);

    // Assess
    expect(fn).toEqual(expect.objectContaining({ Runtime: 'nodejs22.x', Architectures: ['arm64'], FunctionName: 'concord-test-resolver', Role: getAtt('ResolverRole', 'Arn') }));
    expect(Number(fn.Timeout)).toBeGreaterThanOrEqual(30);
  });

  it('gives the resolver literal, stage-suffixed names in its environment', () => {
    // Act
    const variables = (props(resources().ResolverLambdaFunction).Environment as { Variables: JsonObject }).Variables;

    // Assess
    expect(variables).toEqual(
      expect.objectContaining({
        CONCORD_TABLE: 'concord-test',
        CONCORD_AUDIT_BUS: 'concord-audit-test',
        CONCORD_AUDIT_SOURCE: 'concord',
        CONCORD_QUARANTINE_QUEUE_URL: { 'Fn::Sub': 'https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/concord-quarantine-test' },
        CONCORD_RESOLVE_IN: 'any',
        CONCORD_CONCURRENCY: '16',
        POWERTOOLS_SERVICE_NAME: expect.any(String),
        POWERTOOLS_METRICS_NAMESPACE: expect.any(String),
      }),
    );
  });

  it('reads the stream with bisect on error, partial batch responses and bounded retries and record age', () => {
    // Act
    const mapping = props(only(resources(), 'AWS::Lambda::EventSourceMapping'));

    // Assess
    expect(mapping).toEqual(
      expect.objectContaining({
        FunctionName: { Ref: 'ResolverLambdaFunction' },
        BatchSize: 100,
        ParallelizationFactor: 2,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 3600,
      }),
    );
  });

  it('sends batches that exhaust their retries to the on-failure queue', () => {
    // Act
    const mapping = props(only(resources(), 'AWS::Lambda::EventSourceMapping'));

    // Assess
    expect(mapping.DestinationConfig).toEqual({ OnFailure: { Destination: getAtt('ResolverFailureQueue', 'Arn') } });
    expect(props(resources().ResolverFailureQueue).QueueName).toBe('concord-resolver-failures-test');
  });

  it('filters INSERT out of the stream and keeps MODIFY and REMOVE', () => {
    // Act
    const filters = (props(only(resources(), 'AWS::Lambda::EventSourceMapping')).FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    const accepted = (eventName: string) => filters.some(({ Pattern }) => (JSON.parse(Pattern) as { eventName: string[] }).eventName.includes(eventName));

    // Assess
    expect({ INSERT: accepted('INSERT'), MODIFY: accepted('MODIFY'), REMOVE: accepted('REMOVE') }).toEqual({ INSERT: false, MODIFY: true, REMOVE: true });
  });

  it('encrypts the quarantine and on-failure queues with the region\'s customer managed key', () => {
    // Act
    const queues = ofType(resources(), 'AWS::SQS::Queue');

    // Assess
    expect(Object.keys(queues).sort()).toEqual(['QuarantineQueue', 'ResolverFailureQueue']);
    for (const queue of Object.values(queues)) expect(props(queue).KmsMasterKeyId).toEqual(getAtt('QueueKey', 'Arn'));
    expect(props(resources().QueueKey).EnableKeyRotation).toBe(true);
  });

  it('alarms on iterator age, errors, quarantine depth and on-failure depth', () => {
    // Act
    const alarms = Object.values(ofType(resources(), 'AWS::CloudWatch::Alarm')).map((alarm) => {
      const { Namespace, MetricName, Statistic, Dimensions } = props(alarm);
      return { Namespace, MetricName, Statistic, Dimensions };
    });

    // Assess
    expect(alarms).toEqual(
      expect.arrayContaining([
        { Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum', Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ResolverLambdaFunction' } }] },
        { Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ResolverLambdaFunction' } }] },
        { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Dimensions: [{ Name: 'QueueName', Value: getAtt('QuarantineQueue', 'QueueName') }] },
        { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Dimensions: [{ Name: 'QueueName', Value: getAtt('ResolverFailureQueue', 'QueueName') }] },
      ]),
    );
    expect(alarms).toHaveLength(4);
  });

  it('forwards every Concord event from the regional bus to the central bus through a role', () => {
    // Act
    const rule = props(resources().AuditForwardRule);
    const [target] = rule.Targets as JsonObject[];

    // Assess
    expect(props(resources().AuditBus).Name).toBe('concord-audit-test');
    expect(rule).toEqual(expect.objectContaining({ EventBusName: { Ref: 'AuditBus' }, EventPattern: { source: ['concord'] }, State: 'ENABLED' }));
    const centralBusArn = region === PRIMARY ? getAtt('CentralAuditBus', 'Arn') : { 'Fn::Sub': 'arn:${AWS::Partition}:events:us-east-1:${AWS::AccountId}:event-bus/concord-audit-central-test' };
    expect(target).toEqual(expect.objectContaining({ Arn: centralBusArn, RoleArn: getAtt('AuditForwardRole', 'Arn') }));
  });

  it('lets the forwarding role put events on the central bus only', () => {
    // Act
    const statements = iamStatements(resources()).filter(({ owner }) => owner.startsWith('AuditForwardRole/'));

    // Assess
    expect(statements.map(({ statement }) => ({ Action: statement.Action, Resource: statement.Resource }))).toEqual([
      { Action: 'events:PutEvents', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:us-east-1:${AWS::AccountId}:event-bus/concord-audit-central-test' } },
    ]);
  });

  it('gives the resolver role only its table, stream, bus, queues, queue key and log group', () => {
    // Act
    const granted = iamStatements(resources())
      .filter(({ owner }) => owner.startsWith('ResolverRole/'))
      .flatMap(({ statement }) => asList(statement.Action).map((action) => [action, asList(statement.Resource as Json)] as const));

    // Assess
    const table = { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/concord-test' };
    const stream = { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/concord-test/stream/*' };
    const logGroup = { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/concord-test-resolver:*' };
    const queues = [getAtt('QuarantineQueue', 'Arn'), getAtt('ResolverFailureQueue', 'Arn')];
    expect(Object.fromEntries(granted)).toEqual({
      'logs:CreateLogStream': [logGroup],
      'logs:PutLogEvents': [logGroup],
      'dynamodb:GetItem': [table],
      'dynamodb:PutItem': [table],
      'dynamodb:DescribeStream': [stream],
      'dynamodb:GetRecords': [stream],
      'dynamodb:GetShardIterator': [stream],
      'dynamodb:ListStreams': [stream],
      'events:PutEvents': [getAtt('AuditBus', 'Arn')],
      'sqs:SendMessage': queues,
      'kms:GenerateDataKey': [getAtt('QueueKey', 'Arn')],
      'kms:Decrypt': [getAtt('QueueKey', 'Arn')],
    });
    expect(granted).toHaveLength(12);
  });

  it('has no IAM statement with a wildcard action', () => {
    // Act
    const wildcards = iamStatements(resources()).filter(({ statement }) => asList(statement.Action).some((action) => action === '*' || action.endsWith(':*')));

    // Assess
    expect(wildcards).toEqual([]);
  });

  it('uses a "*" resource only where the action has no resource-level permission', () => {
    // Documented exceptions:
    // - KeyReplicasRole kms:CreateKey (primary region): ReplicateKey creates the replica with the
    //   caller's kms:CreateKey in the replica region, and CreateKey cannot name a key that does
    //   not exist yet; a condition limits it to multi-Region replicas.
    const exceptions = region === PRIMARY ? [{ owner: 'KeyReplicasRole/key-replicas', Action: 'kms:CreateKey', Condition: { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' } } }] : [];

    // Act
    const starred = iamStatements(resources())
      .filter(({ statement }) => asList(statement.Resource as Json).includes('*'))
      .map(({ owner, statement }) => ({ owner, Action: statement.Action, Condition: statement.Condition }));

    // Assess
    expect(starred).toEqual(exceptions);
  });
});

describe('primary region', () => {
  const resources = () => regionsOf[PRIMARY] as Record<string, Resource>;

  it('creates the global table keyed like the rule set, on demand, with NEW_AND_OLD_IMAGES streams and TTL', () => {
    // Prepare: the deployed table must match what the example rule set (the default) expects.
    const { partitionKey, sortKey, ttlAttribute } = exampleRules.table;

    // Act
    const table = props(only(resources(), 'AWS::DynamoDB::GlobalTable'));

    // Assess
    expect(table).toEqual(
      expect.objectContaining({
        TableName: 'concord-test',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, { AttributeName: sortKey, KeyType: 'RANGE' }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  });

  it('keeps the table when the stack goes away', () => {
    // Act
    const table = primary.template.Resources.ConcordTable as Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string };

    // Assess
    expect({ DeletionPolicy: table.DeletionPolicy, UpdateReplacePolicy: table.UpdateReplacePolicy }).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('places a replica in every configured region, each with point-in-time recovery', () => {
    // Act
    const replicas = props(resources().ConcordTable).Replicas as JsonObject[];

    // Assess
    expect(replicas.map((replica) => replica.Region)).toEqual(CONFIGURED_REGIONS);
    for (const replica of replicas) expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('encrypts every replica with the multi-Region table key of its own region', () => {
    // Act
    const table = props(resources().ConcordTable);
    const keys = (table.Replicas as JsonObject[]).map((replica) => (replica.SSESpecification as JsonObject).KMSMasterKeyId);

    // Assess
    expect(table.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(props(resources().TableKey)).toEqual(expect.objectContaining({ MultiRegion: true, EnableKeyRotation: true }));
    expect(keys).toEqual(CONFIGURED_REGIONS.map((region) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:kms:${region}:\${AWS::AccountId}:key/\${TableKey}` })));
  });

  it('replicates the table key into the other regions before the table is created', () => {
    // Act
    const replicas = props(resources().KeyReplicas);

    // Assess
    expect(replicas).toEqual(expect.objectContaining({ ServiceToken: getAtt('KeyReplicasFunction', 'Arn'), KeyArn: getAtt('TableKey', 'Arn'), Regions: ['eu-west-1', 'sa-east-1'] }));
    expect(asList(resources().ConcordTable?.DependsOn)).toContain('KeyReplicas');
  });

  it('ships the key replication code inline, as built from functions/custom-resources', () => {
    // Act
    const code = (props(resources().KeyReplicasFunction).Code as { ZipFile: string }).ZipFile;

    // Assess
    expect(code).toBe(inlineSource('key-replicas'));
    expect(code.length).toBeLessThanOrEqual(ZIP_FILE_LIMIT);
  });

  it('reads the stream of its own replica straight from the global table', () => {
    // Act
    const mapping = props(only(resources(), 'AWS::Lambda::EventSourceMapping'));

    // Assess
    expect(mapping.EventSourceArn).toEqual(getAtt('ConcordTable', 'StreamArn'));
    expect(resources().ReplicaStream).toBeUndefined();
  });
});

describe('secondary region', () => {
  const resources = () => regionsOf[SECONDARY] as Record<string, Resource>;

  it('creates no table, table key or central audit resources', () => {
    // Act
    const names = Object.keys(resources());

    // Assess
    for (const name of ['ConcordTable', 'TableKey', 'KeyReplicas', 'CentralAuditBus', 'CentralAuditArchive', 'CentralAuditLogGroup']) expect(names).not.toContain(name);
  });

  it('finds its replica\'s stream ARN at deploy time with a custom resource', () => {
    // Act
    const mapping = props(only(resources(), 'AWS::Lambda::EventSourceMapping'));
    const lookup = resources().ReplicaStream;

    // Assess
    expect(mapping.EventSourceArn).toEqual(getAtt('ReplicaStream', 'StreamArn'));
    expect(lookup?.Type).toBe('Custom::ConcordReplicaStream');
    expect(props(lookup)).toEqual({ ServiceToken: getAtt('StreamLookupFunction', 'Arn'), TableName: 'concord-test' });
  });

  it('ships the stream lookup inline on a Node runtime that provides the SDK', () => {
    // Act
    const fn = props(resources().StreamLookupFunction);
    const code = (fn.Code as { ZipFile: string }).ZipFile;

    // Assess
    expect(fn).toEqual(expect.objectContaining({ Runtime: 'nodejs22.x', Handler: 'index.handler' }));
    expect(code).toBe(inlineSource('stream-arn-lookup'));
    expect(code.length).toBeLessThanOrEqual(ZIP_FILE_LIMIT);
  });

  it('lets the stream lookup describe this region\'s table and nothing else', () => {
    // Act
    const granted = iamStatements(resources())
      .filter(({ owner }) => owner.startsWith('StreamLookupRole/'))
      .map(({ statement }) => ({ Action: statement.Action, Resource: statement.Resource }));

    // Assess
    expect(granted).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/concord-test-stream-lookup:*' } },
      { Action: 'dynamodb:DescribeTable', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/concord-test' } },
    ]);
  });
});

describe('audit region', () => {
  const resources = () => regionsOf[PRIMARY] as Record<string, Resource>;

  it('creates the central bus, admitting only the forwarding roles of this account', () => {
    // Act
    const policy = props(resources().CentralAuditBusPolicy);

    // Assess
    expect(props(resources().CentralAuditBus).Name).toBe('concord-audit-central-test');
    expect(policy.Statement).toEqual({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
      Action: 'events:PutEvents',
      Resource: getAtt('CentralAuditBus', 'Arn'),
      Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/concord-audit-fwd-test-*' } } },
    });
  });

  it('names each region\'s forwarding role so that the bus policy matches it', () => {
    // Act
    const roleName = props(resources().AuditForwardRole).RoleName;

    // Assess
    expect(roleName).toEqual({ 'Fn::Sub': 'concord-audit-fwd-test-${AWS::Region}' });
  });

  it('archives everything the central bus receives, for replay', () => {
    // Act
    const archive = props(resources().CentralAuditArchive);

    // Assess
    expect(archive).toEqual(expect.objectContaining({ SourceArn: getAtt('CentralAuditBus', 'Arn'), RetentionDays: 365 }));
  });

  it('writes every audit event to a log group that EventBridge may write to', () => {
    // Act
    const rule = props(resources().CentralAuditLogRule);
    const policy = JSON.parse(String((props(resources().CentralAuditLogPolicy).PolicyDocument as { 'Fn::Sub': string })['Fn::Sub'])) as { Statement: JsonObject[] };

    // Assess
    const logGroupArn = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/events/concord-audit-test';
    expect(props(resources().CentralAuditLogGroup).LogGroupName).toBe('/aws/events/concord-audit-test');
    expect(rule).toEqual(expect.objectContaining({ EventBusName: { Ref: 'CentralAuditBus' }, EventPattern: { source: ['concord'] }, Targets: [{ Id: 'audit-log-group', Arn: { 'Fn::Sub': logGroupArn } }] }));
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logGroupArn}:*`,
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/concord-audit-central-test/concord-audit-log-test' } },
      }),
    ]);
  });
});

describe('serverless invoke local', () => {
  it('runs with the CONCORD_* values of the shell (npm run local\'s exports) over serverless.yml\'s', async () => {
    // Prepare
    const shell = { CONCORD_TABLE: 'concord-local', CONCORD_QUARANTINE_QUEUE_URL: 'http://127.0.0.1:8020/000000000000/concord-quarantine-dev', CONCORD_RESOLVE_IN: 'origin' };

    // Act
    const environment = await printConfiguration('functions.resolver.environment', shell);

    // Assess
    expect(environment).toEqual(expect.objectContaining({ ...shell, CONCORD_AUDIT_BUS: 'concord-audit-dev', CONCORD_CONCURRENCY: '16' }));
  });
});
