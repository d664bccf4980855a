import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] };

/** The `kube-job-detector …` commands of the README's shell blocks, continuation lines joined. */
function examples(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.startsWith('kube-job-detector '));
}

describe('README examples work from an installed package', () => {
  it('name no file outside the package and only folders it ships', () => {
    const commands = examples();
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const command of commands) {
      for (const token of command.split(/\s+/).slice(1)) {
        if (token.startsWith('-') || token.includes('://') || token.includes('<')) continue;
        expect(token, command).not.toMatch(/^\.\.\//);
        const top = /^([a-z][\w-]*)\//.exec(token)?.[1];
        if (top !== undefined) expect(manifest.files, command).toContain(top);
      }
    }
  });

  it('ship the samples that send sends by default', () => {
    expect(manifest.files).toContain('samples');
  });
});
