// Shared by the desktop end-to-end tests: a private Xvfb display with openbox for one test file
// (on a free display number, so files and helpers running side by side never share one), made
// the process's DISPLAY before its tests and given back after them, with a temporary directory;
// programs the tests started and the OCR worker are stopped with it.
import { after, before } from 'node:test';
import { closeOcr } from '../../engine/desktop/ocr.js';
import { startVirtualDisplay, type RunningProgram, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';
import { tempDir } from './env.js';

export interface DesktopTestDisplay {
  display: VirtualDisplay;
  /** A temporary directory for the file's recordings, automations and program outputs. */
  dir: string;
  /** Programs to stop after the file's tests (a test may stop them earlier). */
  programs: RunningProgram[];
}

/**
 * Call inside a describe(): the display is started before its tests and stopped after them.
 * `setUp` runs once the display is the process's DISPLAY (e.g. X resources for the file).
 */
export function useDesktopDisplay(name: string, setUp?: (display: VirtualDisplay) => void | Promise<void>): DesktopTestDisplay {
  const previousDisplay = process.env['DISPLAY'];
  const shared = { programs: [] as RunningProgram[] } as DesktopTestDisplay;
  before(async () => {
    shared.display = await startVirtualDisplay();
    process.env['DISPLAY'] = shared.display.display;
    shared.dir = tempDir(name);
    await setUp?.(shared.display);
  });
  after(async () => {
    await closeOcr();
    for (const program of shared.programs.splice(0)) await program.stop();
    await shared.display?.stop();
    if (previousDisplay === undefined) delete process.env['DISPLAY'];
    else process.env['DISPLAY'] = previousDisplay;
  });
  return shared;
}
