import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../src/rules/load-rules.js';

describe('loading rule files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kjd-rules-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the YAML files of a tree in path order, and skips other files', async () => {
    await mkdir(join(dir, 'kubernetes', 'audit'), { recursive: true });
    for (const name of ['z.yml', 'kubernetes/audit/b.YAML', 'a.yaml', 'README.md', 'notes.yml.bak'])
      await writeFile(join(dir, name), `title: ${name}\n`);
    const files = await loadRuleFiles([dir]);
    expect(files.map((f) => [f.path, f.text])).toEqual([
      [join(dir, 'a.yaml'), 'title: a.yaml\n'],
      [join(dir, 'kubernetes/audit/b.YAML'), 'title: kubernetes/audit/b.YAML\n'],
      [join(dir, 'z.yml'), 'title: z.yml\n'],
    ]);
  });

  it('reads a file named directly, whatever its name, in path order with the rest', async () => {
    await writeFile(join(dir, 'b.txt'), 'title: b\n');
    await writeFile(join(dir, 'a.yml'), 'title: a\n');
    const files = await loadRuleFiles([join(dir, 'b.txt'), join(dir, 'a.yml')]);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'a.yml'), join(dir, 'b.txt')]);
  });

  it('names a file below the working directory by its relative path', async () => {
    const files = await loadRuleFiles([join(process.cwd(), 'rules', 'metadata-overrides.yml')]);
    expect(files.map((f) => f.path)).toEqual(['rules/metadata-overrides.yml']);
  });
});
