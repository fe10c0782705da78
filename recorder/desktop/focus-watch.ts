// Which window had the focus when a key was pressed, without a lookup per key (issue #23).
//
// The recorder used to read the active window for every key (xdotool getactivewindow, then the
// window's title and place: three programs started per key, a few hundred ms each on a loaded
// machine). The focus changes far less often than keys come. So one small X client runs for the
// whole recording (Python with libX11 through ctypes: no program started per key): it reports
// each change of the root window's _NET_ACTIVE_WINDOW with the X server's time of the change, and
// a window's title and place are read once when it takes the focus (again when that reading is
// older than REFRESH_MS: a title can change while it has the focus).
//
// Keys are placed by their own time: uiohook stamps each event with the X server's time, the
// same clock. A key goes to the window whose focus change came last at or before the key's time —
// a change after it (Enter that closed a dialog, reported by the hook 60-130 ms late) does not
// take it. Reports of changes can lag under load, so before a key is placed the client changes a
// property of its own on the root window (one small X request, not a program) and waits for that
// change to come back: X delivers the client's events in the server's order, so every focus change
// before the key (which the server had handled before the request) has been reported by then.
// Keys heard in the same turn of the event loop share one such round trip.
import { spawn, type ChildProcess } from 'node:child_process';
import { windowById, type DesktopWindow } from '../../engine/desktop/windows.js';

/** A window's title and place are read again when the last reading is older than this. */
export const REFRESH_MS = 1_000;
/** How many focus changes are kept (a key is placed among those near its time). */
const HISTORY = 256;
/** How long start() waits for the client's first report (the window active now). */
const FIRST_REPORT_MS = 15_000;
/** A round trip that takes longer than this (the client hangs): keys are placed with what is known. */
const SYNC_MS = 5_000;

const WRAP = 2 ** 32;
/** a - b for two X server times (32-bit milliseconds), across a wrap. */
const since = (a: number, b: number): number => {
  const diff = (a - b) % WRAP;
  return diff > WRAP / 2 ? diff - WRAP : diff < -WRAP / 2 ? diff + WRAP : diff;
};

/** The X client (run as python3 -c): "focus TIME ID" per change of the active window, "sync N TIME" per number written to it. */
const SPY = String.raw`import ctypes, ctypes.util, os, select, sys
x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XDefaultRootWindow.restype = ctypes.c_ulong
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
x.XConnectionNumber.argtypes = [ctypes.c_void_p]
x.XPending.argtypes = [ctypes.c_void_p]
x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]
x.XFree.argtypes = [ctypes.c_void_p]
x.XChangeProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
x.XGetWindowProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int, ctypes.c_ulong,
    ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]

class PropertyEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("atom", ctypes.c_ulong), ("time", ctypes.c_ulong), ("state", ctypes.c_int)]

class Event(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xproperty", PropertyEvent), ("pad", ctypes.c_long * 24)]

PROPERTY_NOTIFY = 28
PROPERTY_CHANGE_MASK = 1 << 22
XA_WINDOW = 33
XA_CARDINAL = 6

display = x.XOpenDisplay(None)
if not display:
    sys.stdout.write("error cannot open display\n"); sys.stdout.flush(); sys.exit(1)
root = x.XDefaultRootWindow(display)
active = x.XInternAtom(display, b"_NET_ACTIVE_WINDOW", 0)
marker = x.XInternAtom(display, b"_RPA_FOCUS_SYNC", 0)
x.XSelectInput(display, root, PROPERTY_CHANGE_MASK)

def active_window():
    kind = ctypes.c_ulong(); fmt = ctypes.c_int(); count = ctypes.c_ulong(); after = ctypes.c_ulong(); data = ctypes.c_void_p()
    if x.XGetWindowProperty(display, root, active, 0, 1, 0, XA_WINDOW, ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(count), ctypes.byref(after), ctypes.byref(data)) != 0:
        return 0
    value = 0
    if data.value and count.value == 1 and fmt.value == 32:
        value = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[0]
    if data.value:
        x.XFree(data)
    return value

out = sys.stdout
out.write("focus 0 %d\n" % active_window()); out.flush()
fd = x.XConnectionNumber(display)
stdin = sys.stdin.fileno()
buffered = b""
sent = []
event = Event()
while True:
    while x.XPending(display):
        x.XNextEvent(display, ctypes.byref(event))
        if event.type != PROPERTY_NOTIFY:
            continue
        p = event.xproperty
        if p.atom == active:
            out.write("focus %d %d\n" % (p.time, active_window()))
        elif p.atom == marker and sent:
            # Our own changes come back in the order they were made.
            out.write("sync %s %d\n" % (sent.pop(0), p.time))
        out.flush()
    ready, _, _ = select.select([fd, stdin], [], [])
    if stdin in ready:
        chunk = os.read(stdin, 4096)
        if not chunk:
            break
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            if line.strip().isdigit():
                sent.append(line.strip().decode())
                value = ctypes.c_ulong(int(line.strip()))
                x.XChangeProperty(display, root, marker, XA_CARDINAL, 32, 0, ctypes.byref(value), 1)
                x.XFlush(display)
`;

interface Change {
  /** The active window's id (decimal, as xdotool gives it), or undefined for none. */
  id: string | undefined;
  /** The X server's time of the change (0 for the first report, the focus when the watch started). */
  time: number;
}

export class FocusWatch {
  private readonly changes: Change[] = [];
  private readonly details = new Map<string, { window: Promise<DesktopWindow | undefined>; readAt: number }>();
  private buffer = '';
  private ended = false;
  private syncs = 0;
  private readonly waiting = new Map<number, () => void>();
  /** The round trip keys heard in this turn of the event loop share (not yet written to the client). */
  private nextSync: Promise<void> | undefined;
  private firstReport: (() => void) | undefined;
  /** Lookups of a window's title and place made so far (each one: two programs started). */
  lookups = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly read: (id: string) => Promise<DesktopWindow | undefined>,
  ) {}

  /**
   * Starts the watch (X11 with a window manager that keeps _NET_ACTIVE_WINDOW, and python3), or
   * gives undefined when it cannot run: the recorder then reads the active window per key as before.
   */
  static async start(read: (id: string) => Promise<DesktopWindow | undefined> = windowById): Promise<FocusWatch | undefined> {
    if (process.platform !== 'linux') return undefined;
    let child: ChildProcess;
    try {
      child = spawn('python3', ['-c', SPY], { stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
    const watch = new FocusWatch(child, read);
    const first = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FIRST_REPORT_MS);
      watch.firstReport = () => {
        clearTimeout(timer);
        resolve(true);
      };
      child.once('error', () => resolve(false));
      child.once('exit', () => resolve(false));
    });
    child.stdout!.on('data', (data: Buffer) => watch.take(data.toString('utf8')));
    child.stdin!.on('error', () => void (watch.ended = true));
    child.once('exit', () => watch.release());
    child.once('error', () => watch.release());
    if (await first) {
      child.unref();
      return watch;
    }
    watch.stop();
    return undefined;
  }

  private take(text: string): void {
    this.buffer += text;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const focus = /^focus (\d+) (\d+)$/.exec(line);
      if (focus) {
        const id = focus[2] === '0' ? undefined : focus[2];
        this.changes.push({ id, time: Number(focus[1]) });
        if (this.changes.length > HISTORY) this.changes.shift();
        this.firstReport?.();
        this.firstReport = undefined;
        continue;
      }
      const sync = /^sync (\d+) \d+$/.exec(line);
      if (sync) {
        const number = Number(sync[1]);
        // Answers come in order: this one answers every earlier request too.
        for (const [waiting, done] of this.waiting) {
          if (waiting > number) break;
          done();
          this.waiting.delete(waiting);
        }
      }
    }
  }

  /** True while the watch runs and can place an event stamped `time` (once the client has ended, keys are placed the old way). */
  placesTime(time: number): boolean {
    return !this.ended && Number.isFinite(time) && time > 0;
  }

  /** Resolves once every focus change the server handled before now has been reported. */
  private caughtUp(): Promise<void> {
    if (this.nextSync) return this.nextSync;
    const sync = new Promise<void>((resolve) => {
      setImmediate(() => {
        this.nextSync = undefined;
        if (this.ended) return resolve();
        const number = ++this.syncs;
        const timer = setTimeout(() => {
          this.waiting.delete(number);
          resolve();
        }, SYNC_MS);
        this.waiting.set(number, () => {
          clearTimeout(timer);
          resolve();
        });
        this.child.stdin!.write(`${number}\n`);
      });
    });
    this.nextSync = sync;
    return sync;
  }

  /**
   * The window that had the focus at X server time `time` (a key's, heard just now). Its title
   * and place are read once per focus change (or per REFRESH_MS).
   */
  async windowAt(time: number): Promise<DesktopWindow | undefined> {
    await this.caughtUp();
    let change: Change | undefined;
    for (const candidate of this.changes) {
      if (candidate.time !== 0 && since(candidate.time, time) > 0) break;
      change = candidate;
    }
    return change?.id ? this.detailsOf(change.id) : undefined;
  }

  private detailsOf(id: string): Promise<DesktopWindow | undefined> {
    const known = this.details.get(id);
    if (known && performance.now() - known.readAt < REFRESH_MS) return known.window;
    this.lookups++;
    // A window that closed since its last reading (a key that closed it) keeps that reading.
    const window = this.read(id)
      .catch(() => undefined)
      .then(async (now) => now ?? (await known?.window));
    this.details.set(id, { window, readAt: performance.now() });
    return window;
  }

  /** The client is gone or going: nothing waits for its answers any more. */
  private release(): void {
    this.ended = true;
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }

  stop(): void {
    this.release();
    if (this.child.exitCode === null && !this.child.killed) {
      this.child.stdin?.end();
      this.child.kill();
    }
  }
}
