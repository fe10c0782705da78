// The accessibility provider of this platform: AT-SPI on Linux; Windows UI Automation and macOS AX
// have the same interface but are not implemented yet, so their provider says so and desktop
// targets fall to their image, text and coordinate candidates.
import { RpaError } from '../../errors.js';
import { AtSpiProvider } from './atspi.js';
import type { A11yProvider } from './types.js';

export type { A11yElement, A11yProvider, A11yWindow, A11yAncestor } from './types.js';

/** A platform whose accessibility API this build does not drive yet. */
export class NotAvailableProvider implements A11yProvider {
  constructor(
    readonly api: string,
    private readonly reason: string,
  ) {}

  unavailable(): Promise<string | undefined> {
    return Promise.resolve(this.reason);
  }

  windows(): never {
    throw new RpaError(`${this.api}: ${this.reason}`);
  }

  elements(): never {
    throw new RpaError(`${this.api}: ${this.reason}`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

let provider: A11yProvider | undefined;

export function providerFor(platform: NodeJS.Platform): A11yProvider {
  if (platform === 'linux') return new AtSpiProvider();
  if (platform === 'win32') return new NotAvailableProvider('UI Automation', 'accessibility selectors through Windows UI Automation are not available in this version yet');
  if (platform === 'darwin') return new NotAvailableProvider('AX', 'accessibility selectors through the macOS Accessibility API (AX) are not available in this version yet');
  return new NotAvailableProvider('accessibility', `no accessibility API is known on ${platform}`);
}

/** This process's provider (one helper process or connection, started on first use). */
export function a11yProvider(): A11yProvider {
  provider ??= providerFor(process.platform);
  return provider;
}

export async function closeA11y(): Promise<void> {
  await provider?.close();
}
