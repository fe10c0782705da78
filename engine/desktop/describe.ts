// How desktop targets read in progress lines and errors. Kept apart from locate.ts so that
// describing a step never loads the screen, OCR and OpenCV modules.
import type { DesktopCandidate, DesktopTarget } from '../format/schema.js';
import { describeSelector } from './a11y/match.js';
import { describeNth } from './order.js';

export function describeCandidate(candidate: DesktopCandidate): string {
  if ('a11y' in candidate) return `accessible ${describeSelector(candidate.a11y)}`;
  if ('image' in candidate) return candidate.nth ? `${describeNth(candidate.nth)} places of image "${candidate.image}"` : `image "${candidate.image}"`;
  if ('text' in candidate) return `text "${candidate.text}"`;
  if ('label' in candidate) return `${candidate.side === 'below' ? 'below' : 'right of'} label "${candidate.label}"`;
  if ('area' in candidate) return `area ${candidate.area.color} ${Math.round(candidate.area.rect.width)}×${Math.round(candidate.area.rect.height)} at (${Math.round(candidate.at.x)}, ${Math.round(candidate.at.y)})`;
  return `offset (${candidate.offset.x}, ${candidate.offset.y})`;
}

export function describeDesktopTarget(target: DesktopTarget): string {
  const what = target.description ?? describeCandidate(target.candidates[0]!);
  return target.window ? `${what} in window "${target.window}"` : what;
}
