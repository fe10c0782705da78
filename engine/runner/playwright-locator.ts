// A format Locator as a Playwright locator, and as one line of text for logs and messages.
import type { Frame, FrameLocator, Locator as PwLocator, Page } from 'playwright-core';
import type { Locator } from '../format/schema.js';

/** Where a locator is evaluated: the page, a frame found by selector, or a Frame object. */
export type LocatorRoot = Page | Frame | FrameLocator;

export function describeLocator(candidate: Locator): string {
  if ('role' in candidate) return candidate.name ? `role=${candidate.role}[name="${candidate.name}"]` : `role=${candidate.role}`;
  if ('label' in candidate) return `label="${candidate.label}"`;
  if ('testId' in candidate) return `testId="${candidate.testId}"`;
  if ('placeholder' in candidate) return `placeholder="${candidate.placeholder}"`;
  if ('text' in candidate) return `text="${candidate.text}"`;
  if ('title' in candidate) return `title="${candidate.title}"`;
  if ('css' in candidate) return `css=${candidate.css}`;
  return `xpath=${candidate.xpath}`;
}

export function toPlaywright(root: LocatorRoot, candidate: Locator): PwLocator {
  if ('role' in candidate) {
    return root.getByRole(candidate.role as Parameters<Page['getByRole']>[0], candidate.name === undefined ? {} : { name: candidate.name, exact: candidate.exact ?? false });
  }
  if ('label' in candidate) return root.getByLabel(candidate.label, { exact: candidate.exact ?? false });
  if ('testId' in candidate) return root.getByTestId(candidate.testId);
  if ('placeholder' in candidate) return root.getByPlaceholder(candidate.placeholder, { exact: candidate.exact ?? false });
  if ('text' in candidate) return root.getByText(candidate.text, { exact: candidate.exact ?? false });
  if ('title' in candidate) return root.getByTitle(candidate.title, { exact: candidate.exact ?? false });
  if ('css' in candidate) return root.locator(candidate.css);
  return root.locator(`xpath=${candidate.xpath}`);
}
