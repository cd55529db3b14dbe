import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './lib';

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('the repository’s promises', () => {
  const pinned = JSON.parse(read('package.json')).engines.pnpm as string;

  it('opens the README with exactly two commands, both using the pinned pnpm', () => {
    const blocks = [...read('README.md').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]?.trim());
    const [first, second] = blocks;
    expect(first).toBe(`npx -y pnpm@${pinned} install && npx -y pnpm@${pinned} start`);
    expect(second).toBe(`npx -y pnpm@${pinned} install && npx -y pnpm@${pinned} test`);
    const beforeSecond = read('README.md').split(second as string)[0] ?? '';
    expect(beforeSecond.match(/```sh/g)).toHaveLength(2);
  });

  it('runs the README’s test command in CI with the pinned pnpm', () => {
    const ci = read('.ci/run');
    expect(ci).toContain("require('./package.json').engines.pnpm");
    expect(ci).toMatch(/npx -y "\$PNPM" install && npx -y "\$PNPM" test\s*$/);
  });

  it('has no packageManager field (pnpm 12 warns on every command with one)', () => {
    expect(JSON.parse(read('package.json')).packageManager).toBeUndefined();
  });

  it('points WeChat DevTools at the weapp build', () => {
    const project = JSON.parse(read('project.config.json'));
    expect(project.miniprogramRoot).toBe('miniapp/dist/');
  });
});
