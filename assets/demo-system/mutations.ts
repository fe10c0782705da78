// Markup mutations of the demo system, for the robustness benchmark: each kind changes
// the HTML the way a new release of a legacy system does (ids, classes, wrappers, order,
// wording, layout) while every form posts the same fields to the same place, so a bot that
// finds the right elements still files the same data. Parsed and rewritten as a DOM
// (cheerio), never with regular expressions over HTML.
import { randomBytes } from 'node:crypto';
import * as cheerio from 'cheerio';
import { isText, type AnyNode, type Element } from 'domhandler';

export const MUTATION_KINDS = ['ids', 'classes', 'wrappers', 'order', 'text', 'layout', 'label'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export function isMutationKind(value: string): value is MutationKind {
  return (MUTATION_KINDS as readonly string[]).includes(value);
}

type Doc = cheerio.CheerioAPI;

const FIELDS = 'input:not([type=hidden]), select, textarea';

/** New ids of another pattern (ctl00_…, as ASP.NET renders them); every reference follows. */
function regenerateIds($: Doc): void {
  const renamed = new Map<string, string>();
  $('[id]').each((_, el) => {
    const fresh = `ctl00_body_${randomBytes(3).toString('hex')}`;
    renamed.set($(el).attr('id')!, fresh);
    $(el).attr('id', fresh);
  });
  $('label[for]').each((_, el) => {
    const target = renamed.get($(el).attr('for')!);
    if (target) $(el).attr('for', target);
  });
  for (const attr of ['aria-labelledby', 'aria-describedby']) {
    $(`[${attr}]`).each((_, el) => {
      $(el).attr(attr, $(el).attr(attr)!.split(/\s+/).map((id) => renamed.get(id) ?? id).join(' '));
    });
  }
}

/** Existing classes renamed, decoy classes added, and the order of each class list reversed. */
function renameClasses($: Doc): void {
  $('body *').each((_, el) => {
    const existing = ($(el).attr('class') ?? '').split(/\s+/).filter(Boolean).map((name) => `${name}-v4`);
    const classes = [...existing, `ui-${el.tagName}`, 'skin-classic'].reverse();
    $(el).attr('class', classes.join(' '));
  });
}

/** Every field, button and link inside a new <span>, every form and table inside a new <div>. */
function insertWrappers($: Doc): void {
  $(`${FIELDS}, button, input[type=submit], input[type=button], a`).each((_, el) => {
    $(el).wrap('<span class="field-wrap"></span>');
  });
  $('form, table').each((_, el) => {
    $(el).wrap('<div class="panel"></div>');
  });
}

/** A row that can move without changing what the form does: one labelled field, or one menu link. */
function movableRow($: Doc, row: Element): boolean {
  const $row = $(row);
  const fields = $row.find(FIELDS);
  const buttons = $row.find('button, input[type=submit], input[type=button]');
  if (buttons.length > 0 || $row.find('table').length > 0) return false;
  if (fields.length === 1 && $row.find('label').length === 1 && fields.attr('type') !== 'radio') return true;
  return fields.length === 0 && $row.find('a').length === 1 && $row.find('a > b').length === 1; // the main menu
}

/** Reverses the movable rows of each table among themselves: form rows and menu entries swap places. */
function reorderSiblings($: Doc): void {
  $('tbody, table').each((_, section) => {
    const rows = $(section).children('tr').toArray();
    const slots = rows.map((row, index) => (movableRow($, row) ? index : -1)).filter((index) => index >= 0);
    if (slots.length < 2) return;
    const moving = slots.map((index) => rows[index]!);
    const placeholders = moving.map(() => $('<tr data-slot></tr>'));
    moving.forEach((row, i) => $(row).replaceWith(placeholders[i]!));
    placeholders.forEach((placeholder, i) => placeholder.replaceWith(moving[moving.length - 1 - i]!));
  });
}

/** Changes text nobody acts on: small print, the header bars, the footer; adds a notice. */
function changeText($: Doc): void {
  const keep = 'a, label, button, option, b, span, title, script, textarea, select, h1, h2, h3';
  $('font[size=1]').each((_, el) => {
    $(el)
      .contents()
      .each((_, node: AnyNode) => {
        if (isText(node) && node.data.trim() && $(node.parent as Element).closest(keep).length === 0) node.data = node.data.toUpperCase();
      });
  });
  $('body').prepend('<p><font size="2">Notice: this system moves to the new data centre on 1 March. Save your work often.</font></p>');
}

/** A tall banner above everything, extra margins around the content, spacing before forms. */
function shiftLayout($: Doc): void {
  $('body > table').each((_, el) => {
    $(el).attr('style', 'margin: 24px 0 0 64px');
  });
  $('form').before('<div style="height: 48px"></div>');
  $('body').prepend('<div style="height: 140px; background: #FFFFDD; border-bottom: 2px solid #CCCC00; font: 14px Arial"><br>&nbsp; Maintenance window Saturday 22:00 – 02:00.</div>');
}

const REWORDED: Record<string, string> = {
  'User name:': 'Username:',
  'Password:': 'Your password:',
  'Policy number:': 'Policy no.:',
  'Claimant name:': 'Name of claimant:',
  'Incident date:': 'Date of incident:',
  'Claim type:': 'Type of claim:',
  'Description:': 'Claim description:',
  'Supporting document:': 'Supporting documents:',
  'Claim number:': 'Claim no.:',
  'New status:': 'Change status to:',
  'Note:': 'New note:',
  Phone: 'By phone',
  Email: 'By email',
  Branch: 'At a branch',
  'Injuries involved': 'Injuries were involved',
  'Police report filed': 'A police report was filed',
};

/** Every <label> reworded slightly ("Policy number:" → "Policy no.:"). */
function rewordLabels($: Doc): void {
  $('label').each((_, el) => {
    const text = $(el).text().trim();
    $(el).text(REWORDED[text] ?? (text.endsWith(':') ? `${text.slice(0, -1)} (required):` : `${text} (yes)`));
  });
}

const MUTATORS: Record<MutationKind, ($: Doc) => void> = {
  ids: regenerateIds,
  classes: renameClasses,
  wrappers: insertWrappers,
  order: reorderSiblings,
  text: changeText,
  layout: shiftLayout,
  label: rewordLabels,
};

/** The page with one kind of mutation applied. */
export function mutateHtml(html: string, kind: MutationKind): string {
  const $ = cheerio.load(html);
  MUTATORS[kind]($);
  return $.html();
}
