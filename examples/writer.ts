/**
 * The writer library, end to end: run `npm run local` in one terminal, paste the
 * `export` lines it prints into another, then `npx tsx examples/writer.ts`. The client
 * finds the local DynamoDB through AWS_ENDPOINT_URL_DYNAMODB, as it would find AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createConcordTable } from '../shared';
import rules from '../rules/example';

async function main(): Promise<void> {
  const table = createConcordTable({ client: new DynamoDBClient({}), tableName: 'concord-dev', region: process.env.AWS_REGION ?? 'us-east-1', rules });

  await table.put({ pk: 'ORDER#1', sk: 'ORDER' }, { status: 'PENDING', total: 30 });
  await table.update({ pk: 'CART#42', sk: 'CART' }, { set: { coupon: 'SAVE10' }, remove: ['note'] });
  await table.increment({ pk: 'STOCK#7', sk: 'STOCK' }, 'onHand', -1);
  await table.addToSet({ pk: 'CART#42', sk: 'CART' }, 'items', 'apple', 'pear');
  await table.removeFromSet({ pk: 'CART#42', sk: 'CART' }, 'items', 'pear');
  console.log('cart:', await table.get({ pk: 'CART#42', sk: 'CART' }, { consistentRead: true }));

  await table.delete({ pk: 'CART#42', sk: 'CART' });
  console.log('cart after delete:', await table.get({ pk: 'CART#42', sk: 'CART' }, { consistentRead: true })); // undefined: deleted

  const page = await table.query({ partitionKey: 'ORDER#1', limit: 25 });
  console.log('orders:', page.items);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
