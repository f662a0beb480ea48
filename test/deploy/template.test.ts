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
/** Given to the primary region's package only. */
const ALARM_EMAIL = 'ops@example.com';

let primary: PackagedService;
let secondary: PackagedService;
let regionsOf: Record<string, Record<string, Resource>>;

beforeAll(async () => {
  // One after the other: serverless writes its state to the service's .serverless/ even with --package.
  primary = await packageService({ region: PRIMARY, params: [`regions=${CONFIGURED_REGIONS.join(',')}`, `alarmEmail=${ALARM_EMAIL}`] });
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
const retained = (resource: Resource | undefined) => {
  const { DeletionPolicy, UpdateReplacePolicy } = (resource ?? {}) as Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string };
  return { DeletionPolicy, UpdateReplacePolicy };
};
const RETAINED = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

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
        CONCORD_QUARANTINE_MAX_MESSAGE_BYTES: '262144',
        CONCORD_PAYLOAD_BUCKET: { 'Fn::Sub': 'concord-payloads-test-${AWS::AccountId}-${AWS::Region}' },
        CONCORD_GIVE_UP_AFTER_SECONDS: '3000',
        CONCORD_RESOLVE_IN: 'any',
        CONCORD_CONCURRENCY: '16',
        POWERTOOLS_SERVICE_NAME: expect.any(String),
        POWERTOOLS_METRICS_NAMESPACE: expect.any(String),
      }),
    );
  });

  it('reads the stream with bisect on error and partial batch responses, and never drops a record itself', () => {
    // Act
    const mapping = props(only(resources(), 'AWS::Lambda::EventSourceMapping'));

    // Assess: -1 is "while the stream keeps it"; the resolver gives up instead (CONCORD_GIVE_UP_AFTER_SECONDS).
    expect(mapping).toEqual(
      expect.objectContaining({
        FunctionName: { Ref: 'ResolverLambdaFunction' },
        BatchSize: 100,
        ParallelizationFactor: 2,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: -1,
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

  it('encrypts every queue with the region\'s customer managed key, and keeps queues and key with the stack gone', () => {
    // Act
    const queues = ofType(resources(), 'AWS::SQS::Queue');

    // Assess
    expect(Object.keys(queues).sort()).toEqual(['AuditDeadLetterQueue', 'QuarantineQueue', 'ResolverFailureQueue']);
    for (const queue of Object.values(queues)) expect([props(queue).KmsMasterKeyId, retained(queue)]).toEqual([getAtt('QueueKey', 'Arn'), RETAINED]);
    expect([props(resources().QueueKey).EnableKeyRotation, retained(resources().QueueKey)]).toEqual([true, RETAINED]);
  });

  it('sizes the quarantine queue as the resolver does, and keeps Lambda\'s pointers the 24 h they are good for, plus a margin', () => {
    // Act
    const quarantine = props(resources().QuarantineQueue);
    const failures = props(resources().ResolverFailureQueue);

    // Assess
    expect(quarantine.MaximumMessageSize).toBe(262144);
    expect(Number(failures.MessageRetentionPeriod)).toBeGreaterThan(86_400);
    expect(Number(failures.MessageRetentionPeriod)).toBeLessThanOrEqual(2 * 86_400);
  });

  it('keeps oversize quarantined payloads in a private, TLS-only bucket encrypted with the queue key, kept with the stack gone', () => {
    // Act
    const bucket = resources().PayloadBucket;
    const [tlsOnly] = (props(resources().PayloadBucketPolicy).PolicyDocument as { Statement: JsonObject[] }).Statement;

    // Assess
    expect(props(bucket)).toEqual(
      expect.objectContaining({
        BucketName: { 'Fn::Sub': 'concord-payloads-test-${AWS::AccountId}-${AWS::Region}' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt('QueueKey', 'Arn') }, BucketKeyEnabled: true }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
    );
    expect(retained(bucket)).toEqual(RETAINED);
    expect(tlsOnly).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('encrypts its audit bus and every log group with the audit key, kept with the stack gone', () => {
    // Act
    const logGroups = ofType(resources(), 'AWS::Logs::LogGroup');

    // Assess
    expect(props(resources().AuditBus).KmsKeyIdentifier).toEqual(getAtt('AuditKey', 'Arn'));
    expect(Object.keys(logGroups)).toContain('ResolverLogGroup');
    for (const group of Object.values(logGroups)) expect(props(group).KmsKeyId).toEqual(getAtt('AuditKey', 'Arn'));
    expect([props(resources().AuditKey).EnableKeyRotation, retained(resources().AuditKey)]).toEqual([true, RETAINED]);
  });

  it('lets EventBridge and CloudWatch Logs use the audit key only for this account\'s buses and log groups', () => {
    // Act
    const statements = (props(resources().AuditKey).KeyPolicy as { Statement: JsonObject[] }).Statement;

    // Assess
    expect(statements.map(({ Principal, Condition }) => ({ Principal, Condition }))).toEqual([
      { Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Condition: undefined },
      { Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
      { Principal: { Service: { 'Fn::Sub': 'logs.${AWS::Region}.amazonaws.com' } }, Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*' } } } },
    ]);
  });

  it('puts a dead-letter queue and a retry policy on every rule target', () => {
    // Act
    const targets = Object.values(ofType(resources(), 'AWS::Events::Rule')).flatMap((rule) => props(rule).Targets as JsonObject[]);

    // Assess
    expect(targets.length).toBe(region === PRIMARY ? 2 : 1);
    for (const target of targets) expect(target).toMatchObject({ DeadLetterConfig: { Arn: getAtt('AuditDeadLetterQueue', 'Arn') }, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } });
  });

  it('alarms on iterator age, errors, throttles, failed records, failed audit events, failed rule invocations and every queue\'s depth', () => {
    // Act
    const alarms = Object.values(ofType(resources(), 'AWS::CloudWatch::Alarm')).map((alarm) => {
      const { Namespace, MetricName, Dimensions } = props(alarm);
      return { Namespace, MetricName, Dimensions };
    });

    // Assess
    const fn = [{ Name: 'FunctionName', Value: { Ref: 'ResolverLambdaFunction' } }];
    const resolver = [{ Name: 'service', Value: 'concord-resolver' }, { Name: 'table', Value: 'concord-test' }];
    const queue = (name: string) => [{ Name: 'QueueName', Value: getAtt(name, 'QueueName') }];
    const rule = (bus: string, name: string) => [{ Name: 'EventBusName', Value: bus }, { Name: 'RuleName', Value: name }];
    expect(alarms).toEqual(
      expect.arrayContaining([
        { Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Dimensions: fn },
        { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: fn },
        { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: fn },
        { Namespace: 'Concord', MetricName: 'RecordsFailed', Dimensions: resolver },
        { Namespace: 'Concord', MetricName: 'AuditEventsFailed', Dimensions: resolver },
        { Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Dimensions: rule('concord-audit-test', 'concord-audit-forward-test') },
        { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: queue('QuarantineQueue') },
        { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: queue('ResolverFailureQueue') },
        { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: queue('AuditDeadLetterQueue') },
      ]),
    );
    if (region === PRIMARY) expect(alarms).toContainEqual({ Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Dimensions: rule('concord-audit-central-test', 'concord-audit-log-test') });
    expect(alarms).toHaveLength(region === PRIMARY ? 10 : 9);
  });

  it('sends every alarm and its recovery to the stage\'s alarm topic, which only CloudWatch of this account may publish to', () => {
    // Act
    const alarms = Object.values(ofType(resources(), 'AWS::CloudWatch::Alarm')).map((alarm) => props(alarm));
    const [publish] = (props(resources().AlarmTopicPolicy).PolicyDocument as { Statement: JsonObject[] }).Statement;

    // Assess
    expect(props(resources().AlarmTopic).TopicName).toBe('concord-alarms-test');
    for (const alarm of alarms) expect([alarm.AlarmActions, alarm.OKActions]).toEqual([[{ Ref: 'AlarmTopic' }], [{ Ref: 'AlarmTopic' }]]);
    expect(publish).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });

  it('subscribes param alarmEmail to the alarm topic, when it is given', () => {
    // Act
    const subscription = resources().AlarmEmailSubscription;

    // Assess
    if (region === PRIMARY) expect(props(subscription)).toEqual({ TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: ALARM_EMAIL });
    else expect(subscription).toBeUndefined();
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

  it('gives the resolver role only its table, stream, bus, queues, payload prefix, queue key and log group', () => {
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
      's3:PutObject': [{ 'Fn::Join': ['', [getAtt('PayloadBucket', 'Arn'), '/quarantine/*']] }],
      'kms:GenerateDataKey': [getAtt('QueueKey', 'Arn')],
      'kms:Decrypt': [getAtt('QueueKey', 'Arn')],
    });
    expect(granted).toHaveLength(13);
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

  it('lets the key replication create replicas only in the configured regions', () => {
    // Act
    const replicate = iamStatements(resources()).find(({ statement }) => asList(statement.Action).includes('kms:ReplicateKey'))?.statement;

    // Assess
    expect(replicate).toMatchObject({ Action: 'kms:ReplicateKey', Resource: getAtt('TableKey', 'Arn'), Condition: { StringEquals: { 'kms:ReplicaRegion': ['eu-west-1', 'sa-east-1'] } } });
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

  it('denies every other principal the central bus, whatever its own IAM policies allow', () => {
    // Act
    const deny = props(resources().CentralAuditBusDenyOthers);

    // Assess
    expect(deny.Statement).toEqual({
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: getAtt('CentralAuditBus', 'Arn'),
      Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/concord-audit-fwd-test-*' } } },
    });
  });

  it('archives everything the central bus receives, for replay, encrypted and kept with the stack gone', () => {
    // Act
    const archive = resources().CentralAuditArchive;

    // Assess
    expect(props(archive)).toEqual(expect.objectContaining({ SourceArn: getAtt('CentralAuditBus', 'Arn'), RetentionDays: 365, KmsKeyIdentifier: getAtt('AuditKey', 'Arn') }));
    expect(props(resources().CentralAuditBus).KmsKeyIdentifier).toEqual(getAtt('AuditKey', 'Arn'));
    expect(retained(archive)).toEqual(RETAINED);
  });

  it('keeps the audit log group (a year of attribute values) with the stack gone', () => {
    // Act
    const logGroup = resources().CentralAuditLogGroup;

    // Assess
    expect([props(logGroup).RetentionInDays, retained(logGroup)]).toEqual([365, RETAINED]);
  });

  it('shows conflicts, resolutions, escalations, quarantines and resolution lag of every region on one dashboard', () => {
    // Act
    const body = JSON.parse(String(props(resources().ConcordDashboard).DashboardBody)) as { widgets: { properties: { metrics: [string, string, ...unknown[]][] } }[] };
    const lines = body.widgets.flatMap((widget) => widget.properties.metrics.map((metric) => [metric[1], (metric[metric.length - 1] as { region: string }).region]));

    // Assess
    expect(props(resources().ConcordDashboard).DashboardName).toBe('concord-test');
    for (const metric of ['Conflicts', 'Resolved', 'Escalated', 'Quarantined', 'ResolutionLagMs']) {
      for (const region of CONFIGURED_REGIONS) expect(lines).toContainEqual([metric, region]);
    }
    expect(regionsOf[SECONDARY]?.ConcordDashboard).toBeUndefined();
  });

  it('writes every audit event to a log group that EventBridge may write to', () => {
    // Act
    const rule = props(resources().CentralAuditLogRule);
    const policy = JSON.parse(String((props(resources().CentralAuditLogPolicy).PolicyDocument as { 'Fn::Sub': string })['Fn::Sub'])) as { Statement: JsonObject[] };

    // Assess
    const logGroupArn = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/events/concord-audit-test';
    expect(props(resources().CentralAuditLogGroup).LogGroupName).toBe('/aws/events/concord-audit-test');
    expect(rule).toEqual(expect.objectContaining({ EventBusName: { Ref: 'CentralAuditBus' }, EventPattern: { source: ['concord'] } }));
    expect(rule.Targets).toEqual([expect.objectContaining({ Id: 'audit-log-group', Arn: { 'Fn::Sub': logGroupArn } })]);
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
