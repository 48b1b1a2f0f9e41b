import { describe, expect, it } from 'vitest';
import { safeStorageAvailability } from '../../../../src/main/identity/token-encryptor';

describe('safeStorage availability', () => {
  it('refuses the Linux basic_text backend and says why', () => {
    const decision = safeStorageAvailability('linux', 'basic_text', true);
    expect(decision).toMatchObject({ ok: false, code: 'vault.plain_text_backend' });
    expect(decision.ok ? '' : decision.reason).toMatch(/basic_text/);
  });
  it('accepts a keyring backend and other platforms', () => {
    expect(safeStorageAvailability('linux', 'gnome_libsecret', true).ok).toBe(true);
    expect(safeStorageAvailability('darwin', undefined, true).ok).toBe(true);
    expect(safeStorageAvailability('win32', undefined, false).ok).toBe(false);
  });
});
