/** Something with write(), like process.stderr. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** A spinner on stderr for slow steps; a no-op unless stderr is a TTY, so logs and pipes stay clean. */
export class Progress {
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private label = '';
  private static readonly FRAMES = ['|', '/', '-', '\\'];

  constructor(private readonly stream: OutputStream) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Shows or relabels the spinner. */
  update(label: string): void {
    if (!this.enabled) return;
    this.label = label;
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
    this.draw();
  }

  /** Clears the spinner line. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    this.stream.write(`\r\x1b[2K${Progress.FRAMES[this.frame++ % Progress.FRAMES.length]} ${this.label}`);
  }
}
