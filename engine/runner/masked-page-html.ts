// A copy of a page's HTML in which given fields show a mask instead of their value. The page
// itself is left alone (an app may watch its own DOM): the document is copied into an inert
// document (no scripts, no image loads) and the copies of the fields are masked there.
import type { ElementHandle, Locator, Page } from 'playwright-core';

// Runs in the page. Node code here is compiled without DOM types, so the DOM is described structurally.
interface DomNode {
  nodeName: string;
  parentNode: DomNode | null;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  isContentEditable?: boolean;
  setAttribute?(name: string, value: string): void;
}
interface DomDocument {
  documentElement: DomNode | null;
  doctype: DomNode | null;
  implementation: { createHTMLDocument(title: string): { importNode(node: DomNode, deep: boolean): DomNode & { outerHTML: string } } };
}

function serializeMasked({ fields, mask }: { fields: DomNode[]; mask: string }): string {
  const doc = (globalThis as unknown as { document: DomDocument }).document;
  const root = doc.documentElement;
  if (!root) return '';
  // Where each field sits: child indexes from the root (fields inside shadow roots are not in the HTML anyway).
  const paths = fields.map((field) => {
    const path: number[] = [];
    let node: DomNode = field;
    while (node !== root) {
      const parent: DomNode | null = node.parentNode;
      if (!parent) return undefined;
      path.unshift(Array.prototype.indexOf.call(parent.childNodes, node));
      node = parent;
    }
    return path;
  });
  const copy = doc.implementation.createHTMLDocument('').importNode(root, true);
  for (const [index, path] of paths.entries()) {
    if (!path) continue;
    let node: DomNode | undefined = copy;
    for (const step of path) node = node?.childNodes[step];
    if (!node) continue;
    const name = node.nodeName.toLowerCase();
    if (name === 'input') node.setAttribute?.('value', mask);
    else if (name === 'textarea' || fields[index]!.isContentEditable) node.textContent = mask;
  }
  // As page.content() writes it.
  const doctype = doc.doctype ? new (globalThis as unknown as { XMLSerializer: new () => { serializeToString(node: DomNode): string } }).XMLSerializer().serializeToString(doc.doctype) : '';
  return doctype + copy.outerHTML;
}

/** The page's HTML (as page.content() gives it) with each element of `fields` masked. */
export async function maskedPageHtml(page: Page, fields: Locator[], mask: string): Promise<string> {
  const mainFrame = page.mainFrame();
  const handles: ElementHandle[] = [];
  for (const field of fields) {
    for (const handle of await field.elementHandles().catch(() => [])) {
      // Only the main frame's elements are in its HTML; a frame's content is not copied.
      if ((await handle.ownerFrame()) === mainFrame) handles.push(handle);
      else void handle.dispose();
    }
  }
  try {
    return await page.evaluate(serializeMasked as (arg: { fields: unknown[]; mask: string }) => string, { fields: handles, mask });
  } finally {
    await Promise.all(handles.map((handle) => handle.dispose().catch(() => undefined)));
  }
}
