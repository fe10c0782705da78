// Page-side entry injected by the runner for self-healing: exposes element fingerprints,
// the candidate scan and locator proposals to Node.
import { fingerprintOf } from './fingerprint.ts';
import { cssPath, isPicked, pick, scan } from './heal.ts';

declare global {
  interface Window {
    __rpaInspect?: { fingerprintOf: typeof fingerprintOf; scan: typeof scan; pick: typeof pick; isPicked: typeof isPicked; cssPath: typeof cssPath };
  }
}

window.__rpaInspect = { fingerprintOf, scan, pick, isPicked, cssPath };
