// The screen as it was before a click, for the desktop recorder's image and text targets.
//
// Global hooks hear of a click after the program has handled it: under Xvfb, uiohook's mousedown
// reached JavaScript about 100 ms after the X server processed the press, and a capture takes
// another 50–200 ms, so a capture started on mousedown shows the program's reaction (the clicked
// Tk entry already focused, its focus ring drawn; a menu already closed). A crop of that picture
// then fits the screen *after* the click, while replay looks for it *before* the click — and the
// focused empty Amount entry matched the then-focused Policy entry, so replay typed there.
//
// So pictures are taken ahead of time: once input has settled (no click or key for settleMs),
// and again every refreshMs while nothing happens. A picture counts only after guardMs more
// without input: a click that happened while it was being taken is reported within that time
// and throws it away. Any input makes the pictures taken before it out of date.

export interface PreClickTiming {
  /** Quiet time after input before a picture is taken (the program redraws meanwhile). */
  settleMs: number;
  /** Longer than hooks take to report input; a picture is trusted only after this much quiet. */
  guardMs: number;
  /** While nothing happens, the picture is renewed this often (windows change on their own). */
  refreshMs: number;
}

export const PRE_CLICK_TIMING: PreClickTiming = { settleMs: 200, guardMs: 300, refreshMs: 1_000 };

/** How many of the newest pictures recent() keeps. */
const RECENT = 4;

/** A timer this late means the event loop was busy, and hook events may be waiting behind it. */
const LATE_MS = 50;

/**
 * `Picture` is what one look at the screen holds: the desktop recorder takes the screen and the
 * window that was active with it (a click can close that window before the hook reports it).
 */
export class PreClickScreen<Picture> {
  /** Bumped by every input: pictures taken under an older generation are out of date. */
  private generation = 0;
  private confirmed: Picture | undefined;
  /** The newest pictures taken, newest first, trusted or not (input may have changed the screen since). */
  private newest: Picture[] = [];
  /** The generation each of `newest` was taken under. */
  private newestGenerations: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Pictures started so far, and how many are being taken now. */
  private taken = 0;
  private inFlight = 0;
  private lastInputAt = -Infinity;
  /** ready() callers, each waiting for a picture started after picture number `after`. */
  private waiting: Array<{ after: number; resolve: () => void }> = [];

  constructor(
    private readonly capture: () => Promise<Picture>,
    private readonly timing: PreClickTiming = PRE_CLICK_TIMING,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** A click or key: the screen may change, so earlier pictures no longer show it. */
  input(): void {
    this.generation++;
    this.confirmed = undefined;
    this.lastInputAt = performance.now();
    this.schedule(this.timing.settleMs);
  }

  /** The screen just before this click, if a trusted picture exists; the click then counts as input. */
  beforeClick(): Picture | undefined {
    const picture = this.confirmed;
    this.input();
    return picture;
  }

  /**
   * The newest pictures taken (up to RECENT, newest first), even ones that input has made out of
   * date: what stays put when a control is clicked (its text, the label beside it) can still be
   * read from them. The newest may already be later than a click whose report is on its way.
   */
  recent(): Picture[] {
    return [...this.newest];
  }

  /**
   * The newest pictures (newest first) taken before the latest input was reported: they show the
   * screen before that input, and so surely before any input that came after it (a click whose
   * report is still on its way). Call it before beforeClick(), which counts the click as input.
   */
  earlier(): Picture[] {
    return this.newest.filter((_, at) => this.newestGenerations[at]! < this.generation);
  }

  /**
   * Resolves once a picture taken after this call is trusted (so it shows whatever the caller
   * did before): a click from then on is cropped from the screen as it was. Starts that picture
   * as soon as input has settled.
   */
  ready(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const waiter = new Promise<void>((resolve) => this.waiting.push({ after: this.taken, resolve }));
    if (!this.inFlight) this.schedule(Math.max(0, this.lastInputAt + this.timing.settleMs - performance.now()));
    return waiter;
  }

  stop(): void {
    this.stopped = true;
    this.confirmed = undefined;
    clearTimeout(this.timer);
    for (const { resolve } of this.waiting.splice(0)) resolve();
  }

  private schedule(delayMs: number, work: () => void = () => void this.take()): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(work, delayMs);
  }

  private async take(): Promise<void> {
    const generation = this.generation;
    const number = ++this.taken;
    let picture: Picture;
    this.inFlight++;
    try {
      picture = await this.capture();
    } catch {
      if (generation === this.generation) this.schedule(this.timing.refreshMs);
      return;
    } finally {
      this.inFlight--;
    }
    this.newest = [picture, ...this.newest].slice(0, RECENT);
    this.newestGenerations = [generation, ...this.newestGenerations].slice(0, RECENT);
    // Input meanwhile: input() has already asked for the next picture.
    if (generation === this.generation) this.confirmLater(picture, generation, number);
  }

  private confirmLater(picture: Picture, generation: number, number: number): void {
    const due = performance.now() + this.timing.guardMs;
    this.schedule(this.timing.guardMs, () => {
      if (generation !== this.generation) return;
      // Timers run before pending hook events in an event-loop turn: after a late timer, wait
      // once more so that a click queued behind the busy stretch is seen first.
      if (performance.now() - due > LATE_MS) {
        this.confirmLater(picture, generation, number);
        return;
      }
      this.confirmed = picture;
      const satisfied = this.waiting.filter((waiter) => waiter.after < number);
      this.waiting = this.waiting.filter((waiter) => waiter.after >= number);
      for (const { resolve } of satisfied) resolve();
      // Someone asked for a picture while this one was being taken: take it now.
      this.schedule(this.waiting.length ? 0 : this.timing.refreshMs);
    });
  }
}
