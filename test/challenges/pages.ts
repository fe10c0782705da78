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
};
