/**
 * The names of the files in a zip archive, read from its central directory: enough to
 * check what a Lambda package ships, without a zip library.
 */
import { readFileSync } from 'node:fs';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;

/**
 * The entry names of the zip file at `path`, in archive order.
 *
 * @example
 * zipEntries('.serverless/resolver.zip'); // ['functions/resolver/handler.js', …]
 */
export function zipEntries(path: string): string[] {
  const zip = readFileSync(path);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) throw new Error(`${path} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  const names: string[] = [];
  for (let offset = zip.readUInt32LE(end + 16), index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) throw new Error(`${path}: central directory entry ${index} is damaged`);
    const nameLength = zip.readUInt16LE(offset + 28);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
}
