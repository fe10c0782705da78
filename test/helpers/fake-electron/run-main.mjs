// Runs the Electron main process (dist/electron/main.js) under the fake `electron` and takes
// commands from the test on stdin, one JSON object a line; answers on stdout as `@@{...}`:
//   { cmd: 'menu' }                        → the tray menu's labels (and submenus)
//   { cmd: 'click', label, checked? }      → clicks a tray menu item (a checkbox gets `checked`)
//   { cmd: 'call', method, request, url? } → the renderer's IPC call, from the top frame at `url` (default our own page)
//   { cmd: 'engine' }                      → which host answers: a child this app started, or an attached one
//   { cmd: 'notifications' }              → the notifications shown so far ({ title, body })
//   { cmd: 'clickNotification', index }    → the person clicks one; answers the windows open after it
//   { cmd: 'quit' }                        → the app quits (before-quit), then this process exits
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [mainJs] = process.argv.slice(2);
await import(pathToFileURL(mainJs).href);
const fake = globalThis.__fakeElectron;
const reply = (value) => process.stdout.write(`@@${JSON.stringify(value)}\n`);

function labels(items) {
  return items.map((item) => ({ label: item.label ?? item.role ?? item.type, ...(item.type === 'checkbox' ? { checked: item.checked } : {}), ...(Array.isArray(item.submenu) ? { submenu: labels(item.submenu) } : {}) }));
}

function find(items, label) {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const inner = find(item.submenu, label);
      if (inner) return inner;
    }
  }
  return undefined;
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  try {
    if (command.cmd === 'menu') reply({ menus: fake.menus, items: fake.tray?.menu ? labels(fake.tray.menu.items) : [] });
    else if (command.cmd === 'click') {
      const item = fake.tray?.menu && find(fake.tray.menu.items, command.label);
      if (!item) reply({ error: `no menu item ${command.label}` });
      else {
        if (command.checked !== undefined) item.checked = command.checked;
        item.click?.(item);
        reply({ clicked: command.label });
      }
    } else if (command.cmd === 'call') {
      const handler = fake.handlers.get('rpa:call');
      const event = { senderFrame: { url: command.url ?? 'app://renderer/index.html#/tray', parent: null } };
      reply({ answer: await handler(event, command.method, command.request ?? {}) });
    } else if (command.cmd === 'notifications') {
      reply({ notifications: (fake.notifications ?? []).map((n) => ({ title: n.options.title, body: n.options.body })) });
    } else if (command.cmd === 'clickNotification') {
      fake.notifications[command.index].click();
      reply({ windows: fake.windows.filter((w) => !w.destroyed).map((w) => w.requestedUrl) });
    } else if (command.cmd === 'engine') {
      reply({ children: fake.children.map((c) => c.pid) });
    } else if (command.cmd === 'quit') {
      fake.children.forEach((c) => c.once('exit', () => undefined));
      globalThis.__fakeElectron && (await import('./electron.mjs')).app.quit();
      reply({ quit: true });
      // A child host stops gracefully on SIGTERM: give it the time it takes.
      await Promise.all(fake.children.map((c) => new Promise((resolve) => (c.exited ? resolve() : c.once('exit', resolve)))));
      process.exit(0);
    }
  } catch (error) {
    reply({ error: String(error?.stack ?? error) });
  }
}
