import exampleRules from '../rules/example';
import { CommandLineError } from '../shared/errors';
import { defineRules } from '../shared/rules/define-rules';
import { parseKeyArgument } from './key-argument';

describe('parseKeyArgument', () => {
  it('reads the key values in key order, as strings', () => {
    // Act
    const key = parseKeyArgument(['CART#42', 'CART'], exampleRules.table);

    // Assess
    expect(key).toEqual({ pk: { S: 'CART#42' }, sk: { S: 'CART' } });
  });

  it('reads a JSON object, numbers included', () => {
    // Prepare
    const numbered = defineRules({ table: { partitionKey: 'id', sortKey: null }, entities: {} });

    // Act
    const key = parseKeyArgument(['{"id": 42}'], numbered.table);

    // Assess
    expect(key).toEqual({ id: { N: '42' } });
  });

  it.each([
    [['CART#42'], "the table's key is pk, sk: give 2 values in that order (or one JSON object), got 1"],
    [['{"pk":"CART#42"}'], 'the key attribute sk is missing'],
    [['{"pk":"A","sk":"B","x":1}'], 'only pk and sk belong in a key, got also x'],
    [['{"pk":'], 'not valid JSON'],
  ])('refuses %j, naming <key> and why', (values, reason) => {
    // Act
    const parse = () => parseKeyArgument(values, exampleRules.table);

    // Assess
    expect(parse).toThrow(CommandLineError);
    expect(parse).toThrow(`<key>: ${reason}`);
  });
});
