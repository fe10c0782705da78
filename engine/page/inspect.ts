// Page-side entry injected by the runner for self-healing: exposes element fingerprints to Node.
import { fingerprintOf } from './fingerprint.ts';

declare global {
  interface Window {
    __rpaInspect?: { fingerprintOf: typeof fingerprintOf };
  }
}

window.__rpaInspect = { fingerprintOf };
