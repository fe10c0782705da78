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
  // comes a second after a confirm; the person clicks Done only after it.
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
};
