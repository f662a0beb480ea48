/**
 * The repository stands on its own: no tracked file cites the team's notes or fixtures
 * folder that lived beside it. (The project's own `shared/` code folder, imported as
 * `../shared/...`, is not meant.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * A citation of the design, toolchain or soundness notes, or of the fixtures folder,
 * beside the repository. Written in parts so that this file does not cite them itself.
 */
const OUTSIDE_CITATION = new RegExp(['shared/(?:design|toolchain|soundness-notes)\\.md', 'shared/(?:fixtures)\\b'].join('|'));

/** Tracked text files, with the lines that cite outside the repository. */
function citingFiles(): [file: string, lines: string[]][] {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return tracked.flatMap((file): [string, string[]][] => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (text.includes('\0')) return [];
    const lines = text.split('\n').filter((line) => OUTSIDE_CITATION.test(line));
    return lines.length === 0 ? [] : [[file, lines]];
  });
}

describe('the repository', () => {
  it('cites no notes or fixtures beside it', () => {
    // Act
    const citing = citingFiles();

    // Assess
    expect(citing).toEqual([]);
  });
});
