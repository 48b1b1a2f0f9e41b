import { describe, expect, it } from 'vitest';
import { decideShortcut, PROCTOR_ACTION, type KeyInput } from '../../../../src/main/lockdown/shortcut-policy';

const press = (key: string, modifiers: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...modifiers,
});

describe('shortcut decision', () => {
  it.each([
    ['Ctrl+R', press('r', { control: true }), 'reload'],
    ['Ctrl+Shift+R', press('R', { control: true, shift: true }), 'reload'],
    ['F5', press('F5'), 'reload'],
    ['F12', press('F12'), 'devtools'],
    ['Ctrl+Shift+I', press('I', { control: true, shift: true }), 'devtools'],
    ['Ctrl+=', press('=', { control: true }), 'zoom'],
    ['Ctrl+-', press('-', { control: true }), 'zoom'],
    ['Ctrl+0', press('0', { control: true }), 'zoom'],
    ['Ctrl+P', press('p', { control: true }), 'print'],
    ['Ctrl+W', press('w', { control: true }), 'close'],
    ['Alt+F4', press('F4', { alt: true }), 'close'],
    ['Ctrl+Q', press('q', { control: true }), 'quit'],
    ['Alt+Left', press('ArrowLeft', { alt: true }), 'navigate'],
  ])('blocks %s on Linux', (_name, input, action) => {
    expect(decideShortcut(input, 'linux')).toEqual({ block: true, action });
  });

  it('uses Cmd rather than Ctrl on macOS', () => {
    expect(decideShortcut(press('r', { meta: true }), 'darwin')).toEqual({ block: true, action: 'reload' });
    expect(decideShortcut(press('i', { meta: true, alt: true }), 'darwin')).toEqual({ block: true, action: 'devtools' });
    expect(decideShortcut(press('r', { control: true }), 'darwin')).toEqual({ block: false });
  });

  it.each([
    ['plain typing', press('r')],
    ['Shift+letter', press('R', { shift: true })],
    ['Ctrl+C copy', press('c', { control: true })],
    ['Ctrl+V paste', press('v', { control: true })],
    ['Ctrl+A select all', press('a', { control: true })],
    ['Space', press(' ')],
    ['a key release', { ...press('F5'), type: 'keyUp' }],
  ])('lets %s through', (_name, input) => {
    expect(decideShortcut(input, 'linux')).toEqual({ block: false });
  });

  describe('the proctor chord', () => {
    const chord = (key: string, modifiers: Partial<KeyInput>) => press(key, { code: 'KeyP', alt: true, shift: true, ...modifiers });

    it('is Ctrl+Alt+Shift+P on Windows and Linux', () => {
      for (const platform of ['win32', 'linux']) {
        expect(decideShortcut(chord('P', { control: true }), platform)).toEqual({ block: true, action: PROCTOR_ACTION });
      }
    });

    it('is Cmd+Option+Shift+P on macOS, where Option turns the key into another character', () => {
      // macOS reports Option+Shift+P as key '∏'; the physical key is still KeyP.
      expect(decideShortcut(chord('∏', { meta: true }), 'darwin')).toEqual({ block: true, action: PROCTOR_ACTION });
      expect(decideShortcut(chord('∏', { control: true }), 'darwin')).toEqual({ block: false });
    });

    it.each([
      ['without Alt (Ctrl+Shift+P)', press('P', { code: 'KeyP', control: true, shift: true })],
      ['without Shift (Ctrl+Alt+P)', press('p', { code: 'KeyP', control: true, alt: true })],
      ['without Ctrl (Alt+Shift+P)', press('P', { code: 'KeyP', alt: true, shift: true })],
      ['on another key (Ctrl+Alt+Shift+O)', press('O', { code: 'KeyO', control: true, alt: true, shift: true })],
      ['on key release', { ...press('P', { code: 'KeyP', control: true, alt: true, shift: true }), type: 'keyUp' }],
    ])('is not matched %s', (_name, input) => {
      expect(decideShortcut(input, 'linux')).not.toEqual({ block: true, action: PROCTOR_ACTION });
    });

    it('still swallows Ctrl+P (print) as before', () => {
      expect(decideShortcut(press('p', { code: 'KeyP', control: true }), 'linux')).toEqual({ block: true, action: 'print' });
    });
  });
});
