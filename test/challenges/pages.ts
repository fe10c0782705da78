// The challenge pages: each reproduces one difficulty seen on real web applications (issue
// #18). `report(data)` (defined by the server) POSTs the page's end state to /result.
// "$NONCE" becomes a random token on every load, as generated ids and class suffixes do.
export const PAGES: Record<string, string> = {
  // Class 1: a flash message with non-breaking spaces, runs of spaces, and a close "×" on its
  // own line (innerText has a line break the recorder's collapsed text does not).
  'flash-multiline': `
<label>Name <input name="who"></label>
<button type="button" id="save">Save</button>
<div id="flash" class="flash" style="display:none;padding:8px;border:1px solid #888;width:300px"></div>
<script>
document.getElementById('save').addEventListener('click', () => {
  const who = document.querySelector('[name=who]').value;
  setTimeout(() => {
    const flash = document.getElementById('flash');
    flash.innerHTML = 'Saved\\u00a0\\u00a0"' + who + '"   for\\n   review<button type="button" class="close" style="display:block" aria-label="Close">×</button>';
    flash.style.display = 'block';
    report({ saved: who });
  }, 300);
});
</script>`,

  // Class 2: icon-font buttons: the glyph comes from ::before content, which Playwright puts
  // into the accessible name (" Login"); no id, a class suffix that changes on every load.
  'icon-button': `
<style>.fa::before { font-family: sans-serif; } .fa-sign-in::before { content: "\\f090"; } .fa-search::before { content: "\\f002"; margin-right: 4px; }</style>
<label>User <input name="user"></label>
<button type="button" class="btn btn-$NONCE"><i class="fa fa-sign-in"></i> Login</button>
<button type="button" class="btn btn-$NONCE"><span class="fa fa-search" aria-hidden="true"></span>Search</button>
<p id="out"></p>
<script>
const [login, search] = document.querySelectorAll('button');
login.addEventListener('click', () => { document.getElementById('out').textContent = 'signed in'; report({ user: document.querySelector('[name=user]').value, searched: window.searched === true }); });
search.addEventListener('click', () => { window.searched = true; });
</script>`,

  // Class 3: a prompt with follow-up dialogs (an alert, then a confirm), and an alert that
  // comes a second after a confirm; the person clicks Done only after it. Delete first works
  // synchronously for 0.7 s (as legacy pages check references) before its confirm: a dialog
  // opened by a click, however late, belongs before that click.
  dialogs: `
<button type="button" id="rename">Rename</button>
<button type="button" id="delete">Delete record</button>
<button type="button" id="done">Done</button>
<p id="status">Record: Alpha</p>
<script>
const state = { name: 'Alpha', notified: false, deleted: false };
const status = document.getElementById('status');
document.getElementById('rename').addEventListener('click', () => {
  const name = prompt('New name?', 'Beta');
  if (!name) return;
  alert('Renamed to ' + name);
  state.notified = confirm('Notify the owner?');
  state.name = name;
  status.textContent = 'Record: ' + name;
});
document.getElementById('delete').addEventListener('click', () => {
  for (const end = Date.now() + 700; Date.now() < end; ) { /* checking references */ }
  if (!confirm('Delete record ' + state.name + '?')) return;
  setTimeout(() => { alert('Record deleted'); state.deleted = true; status.textContent = 'Record deleted'; }, 1000);
});
document.getElementById('done').addEventListener('click', () => report(state));
</script>`,

  // Class 4: a rich-text editor in a same-origin iframe, built the way classic WYSIWYG editors
  // build theirs: an iframe without src whose document the editor rewrites a moment after load
  // (document.open/write/close, which wipes every listener in the frame), a contenteditable body,
  // a toolbar of icon buttons outside the frame and a Save that reads the frame's HTML.
  'editor-iframe': `
<style>.ed-tb button { font-weight: bold; min-width: 28px; } iframe { width: 420px; height: 120px; border: 1px solid #888; display: block; }</style>
<label for="ed-host">Message</label>
<div id="ed-host"><div class="ed-tb" role="toolbar"><button type="button" title="Bold (Ctrl+B)" class="ed-btn-$NONCE"><span aria-hidden="true">B</span></button></div></div>
<button type="button" id="save">Save message</button>
<p id="out"></p>
<script>
const frame = document.createElement('iframe');
frame.title = 'Rich Text Editor, message';
frame.setAttribute('frameborder', '0');
document.getElementById('ed-host').appendChild(frame);
setTimeout(() => {
  const doc = frame.contentDocument;
  doc.open();
  doc.write('<!doctype html><html><head><style>body{font:14px sans-serif;margin:6px}</style></head><body contenteditable="true" spellcheck="false"><p>Type your message here</p></body></html>');
  doc.close();
}, 150);
document.querySelector('.ed-tb button').addEventListener('click', () => { frame.contentDocument.execCommand('bold'); frame.contentWindow.focus(); });
document.getElementById('save').addEventListener('click', () => {
  const body = frame.contentDocument.body;
  document.getElementById('out').textContent = 'Message saved';
  report({ text: body.innerText.replace(/\\s+/g, ' ').trim(), bold: body.querySelectorAll('b, strong').length > 0 });
});
</script>`,

  // Class 4, design mode: the editor's frame is a srcdoc document switched into designMode
  // (the whole document is editable), with paragraphs by Enter and bold by Ctrl+B inside it.
  'editor-designmode': `
<style>iframe { width: 420px; height: 140px; border: 1px solid #888; display: block; }</style>
<p>Notes</p>
<iframe id="notes-$NONCE" title="Notes editor" srcdoc="<!doctype html><html><body style='font:14px sans-serif'><p><br></p></body></html>"></iframe>
<button type="button" id="save">Save notes</button>
<p id="out"></p>
<script>
const frame = document.querySelector('iframe');
frame.addEventListener('load', () => { frame.contentDocument.designMode = 'on'; });
document.getElementById('save').addEventListener('click', () => {
  const body = frame.contentDocument.body;
  const paragraphs = Array.from(body.querySelectorAll('p, div')).map((p) => p.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean);
  document.getElementById('out').textContent = 'Notes saved';
  report({ paragraphs, bold: Array.from(body.querySelectorAll('b, strong')).map((b) => b.textContent) });
});
</script>`,

  // Class 4 across origins: an embedded widget from another origin (localhost vs 127.0.0.1)
  // with its own contenteditable editor, toolbar and Send button.
  'editor-crossorigin': `
<p>Support ticket</p>
<iframe title="Ticket widget" style="width:460px;height:200px;border:1px solid #888"></iframe>
<script>
document.querySelector('iframe').src = location.protocol + '//localhost:' + location.port + '/ticket-widget';
</script>`,
  'ticket-widget': `
<div role="toolbar"><button type="button" aria-label="Italic"><i>I</i></button></div>
<div id="ticket" contenteditable="true" role="textbox" aria-label="Describe the problem" aria-multiline="true" style="min-height:60px;border:1px solid #ccc;padding:4px"></div>
<button type="button" id="send">Send ticket</button>
<p id="sent"></p>
<script>
document.querySelector('[aria-label=Italic]').addEventListener('mousedown', (e) => { e.preventDefault(); document.execCommand('italic'); });
document.getElementById('send').addEventListener('click', () => {
  const box = document.getElementById('ticket');
  document.getElementById('sent').textContent = 'Ticket sent';
  report({ text: box.innerText.replace(/\\s+/g, ' ').trim(), italic: Array.from(box.querySelectorAll('i, em')).map((i) => i.textContent) });
});
</script>`,

  // A frame no recorder can run in (sandboxed without scripts): recording must say so.
  'frame-sandboxed': `
<p>Legacy form</p>
<iframe title="Legacy" sandbox="allow-forms" srcdoc="<form action='about:blank'><label>Code <input name=code></label><button>Go</button></form>" style="width:400px;height:100px"></iframe>
<button type="button" id="done" onclick="report({ done: true })">Done</button>`,

  // Generated ids on every field (as component frameworks make them), labels tied by for=.
  'dynamic-ids': `
<form id="f-$NONCE" onsubmit="event.preventDefault(); report({ name: this.elements[0].value, email: this.elements[1].value, plan: this.elements[2].value }); document.getElementById('ok-$NONCE').hidden = false;">
  <div><label for="in-$NONCE-1">Full name</label> <input id="in-$NONCE-1"></div>
  <div><label for="in-$NONCE-2">E-mail</label> <input id="in-$NONCE-2" type="email"></div>
  <div><label for="in-$NONCE-3">Plan</label> <select id="in-$NONCE-3"><option>Basic</option><option>Pro</option><option>Enterprise</option></select></div>
  <button id="b-$NONCE" class="btn-$NONCE">Create account</button>
</form>
<p id="ok-$NONCE" hidden>Account created</p>`,

  // A list that arrives a while after the click (AJAX), each row with its own Approve button.
  'delayed-ajax': `
<button type="button" id="load">Load orders</button>
<table id="orders" hidden><thead><tr><th>Order</th><th>Customer</th><th></th></tr></thead><tbody></tbody></table>
<p id="msg"></p>
<script>
const approved = [];
document.getElementById('load').addEventListener('click', () => {
  document.getElementById('msg').textContent = 'Loading…';
  setTimeout(() => {
    const body = document.querySelector('#orders tbody');
    for (const [id, who] of [['SO-311', 'Acme'], ['SO-312', 'Globex'], ['SO-313', 'Initech']]) {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td>' + id + '</td><td>' + who + '</td><td><button type="button">Approve ' + id + '</button></td>';
      tr.querySelector('button').addEventListener('click', (e) => { approved.push(id); e.target.disabled = true; e.target.textContent = 'Approved'; document.getElementById('msg').textContent = id + ' approved'; report({ approved: [...approved] }); });
      body.appendChild(tr);
    }
    document.getElementById('orders').hidden = false;
    document.getElementById('msg').textContent = '';
  }, 1200);
});
</script>`,

  // A table whose rows come in a different order on every load, each with its own "Edit" link.
  'table-edit-links': `
<table><thead><tr><th>Invoice</th><th>Supplier</th><th>Amount</th><th></th></tr></thead><tbody></tbody></table>
<div id="editor" hidden><p id="editing"></p><label>Amount <input name="amount"></label> <button type="button" id="save">Save</button></div>
<script>
const rows = [['INV-2040', 'Northwind', '120.00'], ['INV-2041', 'Contoso', '87.25'], ['INV-2042', 'Fabrikam', '40.10'], ['INV-2043', 'Tailspin', '87.25']];
rows.sort(() => Math.random() - 0.5);
let current;
const body = document.querySelector('tbody');
for (const [id, who, amount] of rows) {
  const tr = document.createElement('tr');
  tr.innerHTML = '<td>' + id + '</td><td>' + who + '</td><td>' + amount + '</td><td><a href="#">Edit</a></td>';
  tr.querySelector('a').addEventListener('click', (e) => { e.preventDefault(); current = id; document.getElementById('editing').textContent = 'Editing ' + id; document.querySelector('[name=amount]').value = amount; document.getElementById('editor').hidden = false; });
  body.appendChild(tr);
}
document.getElementById('save').addEventListener('click', () => report({ invoice: current, amount: document.querySelector('[name=amount]').value }));
</script>`,

  // Web components: a form inside an open shadow root, a button inside a nested one.
  'shadow-form': `
<address-card></address-card>
<script>
customElements.define('address-button', class extends HTMLElement {
  connectedCallback() { const root = this.attachShadow({ mode: 'open' }); root.innerHTML = '<button type="button" part="b"><slot></slot></button>'; }
});
customElements.define('address-card', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<label>Street <input name="street"></label><label>City <input name="city"></label><address-button>Save address</address-button><p class="done"></p>';
    root.querySelector('address-button').addEventListener('click', () => {
      root.querySelector('.done').textContent = 'Address saved';
      report({ street: root.querySelector('[name=street]').value, city: root.querySelector('[name=city]').value });
    });
  }
});
</script>`,

  // An autocomplete combobox: options come 300 ms after typing, in a listbox; the value is set on pick.
  autocomplete: `
<label for="city">Destination</label>
<input id="city" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="city-list" autocomplete="off">
<ul id="city-list" role="listbox" hidden style="list-style:none;padding:0;border:1px solid #aaa;width:200px"></ul>
<button type="button" id="book">Book</button>
<p id="booked"></p>
<script>
const CITIES = ['Lisbon', 'Lima', 'Lille', 'Linz', 'London', 'Los Angeles'];
const input = document.getElementById('city');
const list = document.getElementById('city-list');
let chosen = '';
let timer;
input.addEventListener('input', () => {
  clearTimeout(timer);
  chosen = '';
  timer = setTimeout(() => {
    const q = input.value.toLowerCase();
    list.innerHTML = '';
    for (const c of CITIES.filter((c) => c.toLowerCase().startsWith(q))) {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = 'opt-' + Math.random().toString(36).slice(2, 7);
      li.textContent = c;
      li.style.cursor = 'pointer';
      li.addEventListener('mousedown', (e) => { e.preventDefault(); input.value = c; chosen = c; list.hidden = true; input.setAttribute('aria-expanded', 'false'); });
      list.appendChild(li);
    }
    list.hidden = !list.children.length;
    input.setAttribute('aria-expanded', String(!list.hidden));
  }, 300);
});
document.getElementById('book').addEventListener('click', () => { document.getElementById('booked').textContent = 'Booked ' + chosen; report({ destination: chosen, typed: input.value }); });
</script>`,

  // A date picker: a read-only field opens a calendar grid of day buttons (fixed month).
  'date-picker': `
<label for="due">Due date</label> <input id="due" readonly placeholder="pick a date">
<div id="cal" hidden role="dialog" aria-label="Choose date"><p>March 2027</p><div id="days" role="grid"></div></div>
<button type="button" id="submit">Submit</button>
<script>
const cal = document.getElementById('cal');
const days = document.getElementById('days');
for (let d = 1; d <= 31; d++) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = String(d);
  b.setAttribute('aria-label', 'March ' + d + ', 2027');
  b.addEventListener('click', () => { document.getElementById('due').value = '2027-03-' + String(d).padStart(2, '0'); cal.hidden = true; });
  days.appendChild(b);
}
document.getElementById('due').addEventListener('click', () => { cal.hidden = false; });
document.getElementById('submit').addEventListener('click', () => report({ due: document.getElementById('due').value }));
</script>`,

  // A transparent overlay blocks the page while it "saves", then a Confirm button appears.
  'overlay-busy': `
<label>Reference <input name="ref"></label>
<button type="button" id="save">Save</button>
<div id="veil" hidden style="position:fixed;inset:0;background:rgba(255,255,255,0.01)"></div>
<div id="confirm" hidden><p>Saved as draft.</p><button type="button" class="anim" style="transition:transform .6s;transform:translateX(200px)">Confirm</button></div>
<script>
document.getElementById('save').addEventListener('click', () => {
  const veil = document.getElementById('veil');
  veil.hidden = false;
  setTimeout(() => {
    veil.hidden = true;
    document.getElementById('confirm').hidden = false;
    requestAnimationFrame(() => requestAnimationFrame(() => { document.querySelector('.anim').style.transform = 'none'; }));
  }, 900);
});
document.querySelector('#confirm button').addEventListener('click', () => report({ ref: document.querySelector('[name=ref]').value, confirmed: true }));
</script>`,

  // Frames in frames: a checkbox and a button two frames deep (same origin).
  'nested-frames': `
<p>Outer page</p>
<iframe name="outer" style="width:480px;height:200px" srcdoc="<p>Middle</p><iframe name='inner' style='width:400px;height:120px' srcdoc=&quot;<label><input type=checkbox id=agree> I agree</label> <button type=button onclick='parent.parent.report({ agreed: document.getElementById(&amp;quot;agree&amp;quot;).checked })'>Accept terms</button>&quot;></iframe>"></iframe>`,

  // A disabled submit button that enables once the form is valid, with a required checkbox.
  'disabled-until-valid': `
<form onsubmit="event.preventDefault(); report({ code: this.code.value, accepted: this.ok.checked }); this.querySelector('output').textContent = 'Sent';">
  <label>Voucher code <input name="code" placeholder="XXXX-XXXX"></label>
  <label><input type="checkbox" name="ok"> I accept the conditions</label>
  <button disabled>Redeem</button><output></output>
</form>
<script>
const form = document.querySelector('form');
form.addEventListener('input', () => { form.querySelector('button').disabled = !(/^[A-Z]{4}-\\d{4}$/.test(form.code.value) && form.ok.checked); });
</script>`,

  // A menu that only opens on hover; the item is clicked inside it.
  'hover-menu': `
<style>.menu { position: relative; display: inline-block; } .menu ul { display: none; position: absolute; margin: 0; padding: 4px; background: #eee; list-style: none; } .menu:hover ul { display: block; }</style>
<nav><div class="menu"><span tabindex="0">Account ▾</span><ul><li><a href="#" id="m-profile">Profile</a></li><li><a href="#" id="m-export">Export data</a></li></ul></div></nav>
<p id="out"></p>
<script>
document.getElementById('m-export').addEventListener('click', (e) => { e.preventDefault(); document.getElementById('out').textContent = 'Export started'; report({ exported: true }); });
</script>`,

  // A popup window with a small form; the result is posted back to the opener.
  popup: `
<button type="button" id="open">Find customer</button>
<p id="picked"></p>
<script>
document.getElementById('open').addEventListener('click', () => window.open('/popup-picker', 'picker', 'width=400,height=300'));
window.addEventListener('message', (e) => { document.getElementById('picked').textContent = 'Customer ' + e.data; report({ customer: e.data }); });
</script>`,
  'popup-picker': `
<label>Customer number <input name="no"></label>
<button type="button" onclick="opener.postMessage(document.querySelector('[name=no]').value, '*'); window.close();">Use this customer</button>`,

  // An inline rich-text editor (contenteditable div on the page itself), with a list made by Enter.
  'inline-editor': `
<div role="toolbar" aria-label="Formatting"><button type="button" aria-label="Underline" onmousedown="event.preventDefault(); document.execCommand('underline')"><u>U</u></button></div>
<div id="comment" contenteditable="true" aria-label="Comment" role="textbox" aria-multiline="true" style="border:1px solid #999;min-height:50px;padding:4px"></div>
<button type="button" id="post">Post comment</button>
<script>
document.getElementById('post').addEventListener('click', () => {
  const box = document.getElementById('comment');
  report({ lines: box.innerText.split('\\n').map((l) => l.trim()).filter(Boolean), underlined: Array.from(box.querySelectorAll('u')).map((u) => u.textContent) });
});
</script>`,

  // HTML5 drag and drop between columns of a board.
  'drag-drop': `
<style>.col { display: inline-block; vertical-align: top; width: 160px; min-height: 120px; border: 1px solid #999; margin: 4px; padding: 4px; } .card { border: 1px solid #555; background: #ffd; margin: 4px 0; padding: 4px; cursor: grab; }</style>
<div class="col" data-dropzone="todo" aria-label="To do"><h4>To do</h4><div class="card" draggable="true" id="c-$NONCE-1">Call supplier</div><div class="card" draggable="true" id="c-$NONCE-2">Check stock</div></div>
<div class="col" data-dropzone="done" aria-label="Done"><h4>Done</h4></div>
<script>
let dragged;
document.addEventListener('dragstart', (e) => { dragged = e.target.closest('.card'); e.dataTransfer.setData('text/plain', dragged.textContent); });
for (const col of document.querySelectorAll('.col')) {
  col.addEventListener('dragover', (e) => e.preventDefault());
  col.addEventListener('drop', (e) => { e.preventDefault(); if (!dragged) return; col.appendChild(dragged); report({ done: Array.from(document.querySelectorAll('[data-dropzone=done] .card')).map((c) => c.textContent) }); });
}
</script>`,

  // A table sorted by clicking its header, rows shuffled on load; each row has an "Open" button.
  'sortable-table': `
<table><thead><tr><th><button type="button" id="by-name">Customer ⇅</button></th><th>City</th><th></th></tr></thead><tbody></tbody></table>
<p id="opened"></p>
<script>
const data = [['Zeta Ltd', 'Oslo'], ['Alpha GmbH', 'Bonn'], ['Mira SA', 'Nice'], ['Beta Inc', 'Reno']].sort(() => Math.random() - 0.5);
let asc = true;
function draw() {
  const body = document.querySelector('tbody');
  body.innerHTML = '';
  for (const [name, city] of data) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td>' + name + '</td><td>' + city + '</td><td><button type="button">Open</button></td>';
    tr.querySelector('button').addEventListener('click', () => { document.getElementById('opened').textContent = 'Opened ' + name; report({ opened: name, first: data[0][0] }); });
    body.appendChild(tr);
  }
}
document.getElementById('by-name').addEventListener('click', () => { data.sort((a, b) => (asc ? 1 : -1) * a[0].localeCompare(b[0])); asc = !asc; draw(); });
draw();
</script>`,

  // A to-do list whose items come in any order: "the checkbox of the item that says Pay the invoice".
  'todo-checkbox': `
<ul id="todos"></ul>
<button type="button" id="save">Save list</button>
<script>
const items = ['Book the venue', 'Pay the invoice', 'Send the agenda', 'Order lunch'].sort(() => Math.random() - 0.5);
const ul = document.getElementById('todos');
for (const text of items) { const li = document.createElement('li'); li.innerHTML = '<input type="checkbox"> <span>' + text + '</span>'; ul.appendChild(li); }
document.getElementById('save').addEventListener('click', () => report({ done: Array.from(ul.querySelectorAll('li')).filter((li) => li.querySelector('input').checked).map((li) => li.textContent.trim()) }));
</script>`,

  // Radio buttons and a checkbox whose inputs are visually hidden behind styled labels.
  'styled-radios': `
<style>.opt input { position: absolute; opacity: 0; width: 1px; height: 1px; } .opt span { display: inline-block; padding: 6px 10px; border: 1px solid #888; border-radius: 4px; } .opt input:checked + span { background: #cde; }</style>
<fieldset><legend>Shipping</legend>
<label class="opt"><input type="radio" name="ship" value="std" checked><span>Standard</span></label>
<label class="opt"><input type="radio" name="ship" value="exp"><span>Express</span></label>
</fieldset>
<label class="opt"><input type="checkbox" name="gift"><span>Gift wrap</span></label>
<button type="button" onclick="report({ ship: document.querySelector('[name=ship]:checked').value, gift: document.querySelector('[name=gift]').checked })">Place order</button>`,

  // Tabs with a "Name" field in each panel (the hidden panel's field has the same label).
  'tabs-same-labels': `
<div role="tablist"><button role="tab" type="button" aria-selected="true" data-panel="p1">Contact</button><button role="tab" type="button" aria-selected="false" data-panel="p2">Billing</button></div>
<section id="p1" role="tabpanel"><label>Name <input name="contact"></label></section>
<section id="p2" role="tabpanel" hidden><label>Name <input name="billing"></label></section>
<button type="button" id="save">Save</button>
<script>
for (const tab of document.querySelectorAll('[role=tab]')) tab.addEventListener('click', () => {
  for (const t of document.querySelectorAll('[role=tab]')) { t.setAttribute('aria-selected', String(t === tab)); document.getElementById(t.dataset.panel).hidden = t !== tab; }
});
document.getElementById('save').addEventListener('click', () => report({ contact: document.querySelector('[name=contact]').value, billing: document.querySelector('[name=billing]').value }));
</script>`,

  // A long list inside its own scrolling box; the item is far below the fold.
  'scroll-container': `
<div id="box" style="height:150px;width:300px;overflow:auto;border:1px solid #888"></div>
<p id="chosen"></p>
<script>
const box = document.getElementById('box');
for (let i = 1; i <= 200; i++) { const b = document.createElement('button'); b.type = 'button'; b.style.display = 'block'; b.textContent = 'Account ' + String(i).padStart(3, '0'); b.addEventListener('click', () => { document.getElementById('chosen').textContent = 'Chosen ' + b.textContent; report({ account: b.textContent }); }); box.appendChild(b); }
</script>`,

  // A file upload whose content the page reads before sending.
  upload: `
<label for="receipt">Receipt</label> <input type="file" id="receipt">
<p id="picked"></p>
<button type="button" id="send" disabled>Send expense</button>
<script>
let text = '';
document.getElementById('receipt').addEventListener('change', async (e) => { const f = e.target.files[0]; const send = document.getElementById('send'); send.disabled = true; text = f ? await f.text() : ''; document.getElementById('picked').textContent = f ? f.name + ' (' + f.size + ' bytes)' : ''; send.disabled = !f; });
document.getElementById('send').addEventListener('click', () => { const f = document.getElementById('receipt').files[0]; report({ file: f ? f.name : null, text }); });
</script>`,

  // A modal dialog whose Save has the same name as the page's own Save behind it.
  'modal-same-name': `
<button type="button" id="page-save" onclick="report({ saved: 'page' })">Save</button>
<button type="button" id="add">Add contact</button>
<div id="modal" role="dialog" aria-modal="true" aria-label="New contact" hidden style="position:fixed;top:60px;left:60px;background:#fff;border:2px solid #333;padding:12px">
  <label>Contact name <input name="contact"></label>
  <button type="button" id="modal-save">Save</button>
</div>
<script>
document.getElementById('add').addEventListener('click', () => { document.getElementById('modal').hidden = false; });
document.getElementById('modal-save').addEventListener('click', () => { document.getElementById('modal').hidden = true; report({ saved: 'modal', contact: document.querySelector('[name=contact]').value }); });
</script>`,

  // A custom select: a button opens a listbox of options (divs), no native <select>.
  'custom-select': `
<span id="lbl">Priority</span>
<button type="button" id="trigger" aria-haspopup="listbox" aria-labelledby="lbl trigger">Normal</button>
<div role="listbox" id="menu" aria-labelledby="lbl" hidden style="border:1px solid #888;width:120px">
  <div role="option" aria-selected="false">Low</div><div role="option" aria-selected="true">Normal</div><div role="option" aria-selected="false">High</div><div role="option" aria-selected="false">Critical</div>
</div>
<button type="button" id="apply">Apply</button>
<script>
const trigger = document.getElementById('trigger');
const menu = document.getElementById('menu');
trigger.addEventListener('click', () => { menu.hidden = !menu.hidden; });
for (const opt of menu.querySelectorAll('[role=option]')) opt.addEventListener('click', () => { for (const o of menu.querySelectorAll('[role=option]')) o.setAttribute('aria-selected', String(o === opt)); trigger.textContent = opt.textContent; menu.hidden = true; });
document.getElementById('apply').addEventListener('click', () => report({ priority: trigger.textContent }));
</script>`,

  // The form appears only after a slow "loading" phase with a spinner in its place.
  'slow-load': `
<div id="spinner">Loading customer…</div>
<script>
setTimeout(() => {
  document.getElementById('spinner').outerHTML = '<form id="cust"><label>Phone <input name="phone"></label> <button type="submit">Update phone</button></form><p id="done"></p>';
  document.getElementById('cust').addEventListener('submit', (e) => { e.preventDefault(); document.getElementById('done').textContent = 'Phone updated'; report({ phone: e.target.phone.value }); });
}, 1500);
</script>`,

  // Texts with no-break spaces and a thin space, in a button and in a status line that is asserted.
  'nbsp-text': `
<button type="button" id="pay">Pay&nbsp;now&nbsp;&nbsp;€&#8239;25</button>
<p id="status"></p>
<script>
document.getElementById('pay').addEventListener('click', () => { document.getElementById('status').innerHTML = 'Paid&nbsp;€&#8239;25 —&nbsp;thank&nbsp;you'; report({ paid: true }); });
</script>`,

  // A plain form inside a same-origin frame that a script adds after load (no src, no name).
  'late-iframe-form': `
<p>Address book</p>
<div id="slot"></div>
<script>
setTimeout(() => {
  const f = document.createElement('iframe');
  f.setAttribute('title', 'Edit address');
  f.style.cssText = 'width:420px;height:140px';
  document.getElementById('slot').appendChild(f);
  f.contentDocument.body.innerHTML = '<label>Zip <input name="zip"></label> <label>Country <select name="country"><option>Portugal</option><option>Spain</option></select></label> <button type="button">Save address</button>';
  f.contentDocument.querySelector('button').addEventListener('click', () => report({ zip: f.contentDocument.querySelector('[name=zip]').value, country: f.contentDocument.querySelector('[name=country]').value }));
}, 400);
</script>`,
  // Class 3, dialogs a click causes through messages: "Pay" posts to a payment widget (a frame
  // of the same origin), whose handler confirms and posts the answer back, and the page's
  // handler alerts; "Receipt" inside the widget posts to the page, whose handler prompts.
  // Each dialog runs in a message task, a while after the click.
  'frame-messages': `
<button type="button" id="pay">Pay</button>
<button type="button" id="done">Done</button>
<p id="status">Unpaid</p>
<iframe title="Payment" src="/frame-messages-widget" style="width:360px;height:80px"></iframe>
<script>
const state = { paid: false, email: null };
const status = document.getElementById('status');
const widget = document.querySelector('iframe');
document.getElementById('pay').addEventListener('click', () => {
  setTimeout(() => widget.contentWindow.postMessage({ op: 'pay', amount: '12.50' }, location.origin), 200);
});
window.addEventListener('message', (event) => {
  if (event.data.op === 'paid') {
    alert(event.data.ok ? 'Payment done' : 'Payment cancelled');
    state.paid = event.data.ok;
    status.textContent = state.paid ? 'Paid' : 'Unpaid';
  }
  if (event.data.op === 'receipt') {
    state.email = prompt('Send the receipt to?', 'ap@example.com');
    status.textContent = 'Receipt to ' + state.email;
  }
});
document.getElementById('done').addEventListener('click', () => report(state));
</script>`,
  'frame-messages-widget': `
<button type="button" id="receipt">Receipt</button>
<script>
window.addEventListener('message', (event) => {
  if (event.data.op !== 'pay') return;
  for (const end = Date.now() + 300; Date.now() < end; ) { /* talking to the bank */ }
  const ok = confirm('Pay ' + event.data.amount + ' EUR?');
  parent.postMessage({ op: 'paid', ok }, location.origin);
});
document.getElementById('receipt').addEventListener('click', () => parent.postMessage({ op: 'receipt' }, location.origin));
</script>`,

  // Class 3, a dialog a worker's answer opens: "Check" posts the rows to a dedicated worker,
  // which answers 0.6 s later; the page's onmessage asks to merge the duplicates it found. A
  // second message from the page, outside any click, is answered without a dialog.
  'worker-dialogs': `
<button type="button" id="check">Check duplicates</button>
<button type="button" id="done">Done</button>
<p id="status">Not checked</p>
<script>
const source = "onmessage = (e) => { const rows = e.data.rows; const seen = new Set(); let dup = 0; for (const r of rows) { if (seen.has(r)) dup++; seen.add(r); } setTimeout(() => postMessage({ kind: e.data.kind, dup }), e.data.kind === 'check' ? 600 : 0); };";
const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
const state = { merged: false, duplicates: 0, warmed: false };
const status = document.getElementById('status');
worker.onmessage = (event) => {
  if (event.data.kind === 'warm') { state.warmed = true; return; }
  state.duplicates = event.data.dup;
  state.merged = confirm(event.data.dup + ' duplicates found. Merge them?');
  status.textContent = state.merged ? 'Merged' : 'Kept';
};
worker.postMessage({ kind: 'warm', rows: [] });
document.getElementById('check').addEventListener('click', () => {
  worker.postMessage({ kind: 'check', rows: ['INV-1', 'INV-2', 'INV-1', 'INV-3', 'INV-2'] });
});
document.getElementById('done').addEventListener('click', () => report(state));
</script>`,

  // Class 3, dialogs at the end of a page's own scheduling: "Export" starts a poll (setInterval)
  // whose third tick alerts; "Archive" queues its work on a MessageChannel, as UI libraries'
  // schedulers do, and the job confirms.
  'scheduled-dialogs': `
<button type="button" id="export">Export</button>
<button type="button" id="archive">Archive</button>
<button type="button" id="done">Done</button>
<p id="status">Idle</p>
<script>
const state = { exported: false, archived: false };
const status = document.getElementById('status');
const jobs = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => { const job = jobs.shift(); if (job) job(); };
function schedule(job) { jobs.push(job); channel.port2.postMessage(null); }
document.getElementById('export').addEventListener('click', () => {
  status.textContent = 'Exporting';
  let ticks = 0;
  const poll = setInterval(() => {
    if (++ticks < 3) return;
    clearInterval(poll);
    alert('Export ready');
    state.exported = true;
    status.textContent = 'Exported';
  }, 300);
});
document.getElementById('archive').addEventListener('click', () => {
  schedule(() => { state.archived = confirm('Archive 3 invoices?'); status.textContent = state.archived ? 'Archived' : 'Kept'; });
});
document.getElementById('done').addEventListener('click', () => report(state));
</script>`,

  // Class 3 across origins: the same payment flow as frame-messages, but the widget is served
  // from another origin (localhost vs 127.0.0.1: another site, another renderer process), so
  // neither side's postMessage call can be seen by the other side's recorder. "Pay" posts to
  // the widget a while later (a timer of the click), whose handler confirms and posts back, and
  // the page alerts; "Receipt" in the widget posts to the page, which prompts.
  'crossorigin-messages': `
<button type="button" id="pay">Pay</button>
<button type="button" id="done">Done</button>
<p id="status">Unpaid</p>
<iframe title="Payment" style="width:360px;height:80px"></iframe>
<script>
const state = { paid: false, email: null };
const status = document.getElementById('status');
const widget = document.querySelector('iframe');
const widgetOrigin = location.protocol + '//localhost:' + location.port;
widget.src = widgetOrigin + '/crossorigin-messages-widget';
document.getElementById('pay').addEventListener('click', () => {
  setTimeout(() => widget.contentWindow.postMessage({ op: 'pay', amount: '12.50' }, widgetOrigin), 200);
});
window.addEventListener('message', (event) => {
  if (event.origin !== widgetOrigin) return;
  if (event.data.op === 'paid') {
    alert(event.data.ok ? 'Payment done' : 'Payment cancelled');
    state.paid = event.data.ok;
    status.textContent = state.paid ? 'Paid' : 'Unpaid';
  }
  if (event.data.op === 'receipt') {
    state.email = prompt('Send the receipt to?', 'ap@example.com');
    status.textContent = 'Receipt to ' + state.email;
  }
});
document.getElementById('done').addEventListener('click', () => report(state));
</script>`,
  'crossorigin-messages-widget': `
<button type="button" id="receipt">Receipt</button>
<script>
const opener = location.protocol + '//127.0.0.1:' + location.port;
window.addEventListener('message', (event) => {
  if (event.origin !== opener || event.data.op !== 'pay') return;
  for (const end = Date.now() + 300; Date.now() < end; ) { /* talking to the bank */ }
  const ok = confirm('Pay ' + event.data.amount + ' EUR?');
  parent.postMessage({ op: 'paid', ok }, opener);
});
document.getElementById('receipt').addEventListener('click', () => parent.postMessage({ op: 'receipt' }, opener));
</script>`,

  // Item 2 of #18's dialogs: dialogs no click causes. A timer the page starts as it loads warns
  // that the session will expire; a worker sends a notice on its own timer, and the page's
  // handler asks to reload later. "Check" posts to the same worker (answered at once, no
  // dialog), so a recorder that takes every message of the worker as the answer to the page's
  // latest one ties the notice to that click.
  'unprompted-dialogs': `
<button type="button" id="check">Check</button>
<button type="button" id="done">Done</button>
<p id="checked">Not checked</p>
<p id="warned">Not warned</p>
<p id="noticed">No notice</p>
<script>
const state = { checked: 0, warned: false, reloadLater: null };
const source = "onmessage = (e) => postMessage({ kind: 'count', n: e.data.rows.length }); setTimeout(() => postMessage({ kind: 'notice' }), 2200);";
const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
worker.onmessage = (event) => {
  if (event.data.kind === 'count') {
    state.checked = event.data.n;
    document.getElementById('checked').textContent = 'Checked ' + event.data.n;
    return;
  }
  state.reloadLater = confirm('A new version is available. Reload later?');
  document.getElementById('noticed').textContent = 'Notice answered';
};
setTimeout(() => {
  alert('Your session expires in 5 minutes');
  state.warned = true;
  document.getElementById('warned').textContent = 'Warned';
}, 1200);
document.getElementById('check').addEventListener('click', () => worker.postMessage({ rows: ['a', 'b', 'c'] }));
document.getElementById('done').addEventListener('click', () => report(state));
</script>`,
};
