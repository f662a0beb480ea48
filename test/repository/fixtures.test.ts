/** Every fixture of test/fixtures/ says in one line where it comes from, and holds what it says it holds. */
import { fixtures } from '../helpers/fixtures';

const RECORDED = /^Recorded from DynamoDB Local \S+ by scripts\/record-fixtures\.ts/;
const WRITTEN_FROM_AWS_DOCUMENTATION = /^Written from AWS('s| Lambda's) documentation, '[^']+' \(https:\/\/docs\.aws\.amazon\.com\/\S+\): /;

describe('test/fixtures', () => {
  it.each(fixtures())('%s names its source in one line: the recording script or an AWS page', (_file, { source }) => {
    expect({ oneLine: !source.includes('\n'), known: RECORDED.test(source) || WRITTEN_FROM_AWS_DOCUMENTATION.test(source) }).toEqual({ oneLine: true, known: true });
  });

  it.each(fixtures())('%s holds stream events or a message', (_file, fixture) => {
    expect(fixture.events?.every((event) => Array.isArray(event.Records)) ?? fixture.message !== undefined).toBe(true);
  });
});
