// electron-builder.yml checked against electron-builder's own configuration schema (a real build needs the
// Electron binary, which cannot be downloaded here), plus what the schema cannot see: target names and fuses.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const require = createRequire(import.meta.url);
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, Record<string, unknown>>;

// electron-builder's target names, per platform.
const TARGETS = {
  linux: ['AppImage', 'flatpak', 'snap', 'deb', 'rpm', 'freebsd', 'pacman', 'p5p', 'apk', '7z', 'zip', 'tar.xz', 'tar.lz', 'tar.gz', 'tar.bz2', 'dir'],
  win: ['nsis', 'nsis-web', 'portable', 'appx', 'msi', 'msiwrapped', 'squirrel', '7z', 'zip', 'tar.xz', 'tar.lz', 'tar.gz', 'tar.bz2', 'dir'],
  mac: ['dmg', 'pkg', 'mas', 'mas-dev', '7z', 'zip', 'tar.xz', 'tar.lz', 'tar.gz', 'tar.bz2', 'dir'],
};

describe('electron-builder configuration', () => {
  it("is valid against electron-builder's schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('names real targets for Linux, Windows and macOS', () => {
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(config.win!.target).toEqual(['nsis']);
    expect(config.mac!.target).toEqual(['dmg']);
    for (const platform of ['linux', 'win', 'mac'] as const) {
      for (const target of config[platform]!.target as string[]) expect(TARGETS[platform]).toContain(target);
    }
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
  });

  it('packs the built app and its icon, and the package points at the built main', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9]+)+$/);
    expect(config.files).toContain('out/**');
    expect(existsSync(String(config.linux!.icon))).toBe(true);
    expect(pkg.main).toBe('out/main/main.js');
  });
});
