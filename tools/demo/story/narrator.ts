/**
 * How the story tells what it does: the demo narrates to a terminal (an ANSI progress bar on a
 * TTY, plain lines otherwise), the test records the lines and shows them only when asked.
 */

export interface Progress {
  tick(count?: number): void;
  done(summary?: string): void;
}

export interface Table {
  title: string;
  headers: string[];
  rows: (string | number)[][];
}

export interface Narrator {
  chapter(number: number, title: string): void;
  say(line: string): void;
  progress(label: string, total: number): Progress;
  table(table: Table): void;
}

export function renderTable(table: Table): string[] {
  const cells = [table.headers, ...table.rows.map((row) => row.map(String))];
  const numeric = table.headers.map((_, column) => table.rows.every((row) => typeof row[column] === 'number'));
  const widths = table.headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    `│ ${row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' │ ')} │`;
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  return [
    table.title,
    rule('┌', '┬', '┐'),
    line(table.headers),
    rule('├', '┼', '┤'),
    ...table.rows.map((row) => line(row.map(String))),
    rule('└', '┴', '┘'),
  ];
}

/** Writes lines; a progress bar redrawn in place on a TTY, a line per quarter otherwise. */
export class ConsoleNarrator implements Narrator {
  private readonly started = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly tty = Boolean(out.isTTY),
  ) {}

  private paint(code: string, text: string): string {
    return this.tty ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)}s`;
  }

  chapter(number: number, title: string): void {
    this.out.write(`\n${this.paint('1;36', `${number}. ${title}`)} ${this.paint('2', `(+${this.elapsed()})`)}\n`);
  }

  say(line: string): void {
    this.out.write(`   ${line}\n`);
  }

  progress(label: string, total: number): Progress {
    let count = 0;
    let lastQuarter = 0;
    const width = 30;
    const draw = () => {
      const filled = total === 0 ? width : Math.round((count / total) * width);
      const bar = `${this.paint('32', '█'.repeat(filled))}${this.paint('2', '░'.repeat(width - filled))}`;
      this.out.write(`\r\x1b[2K   ${bar} ${String(count).padStart(String(total).length)}/${total} ${label}`);
    };
    if (this.tty) draw();
    else this.out.write(`   ${label}: 0/${total}\n`);
    return {
      tick: (n = 1) => {
        count = Math.min(total, count + n);
        if (this.tty) return draw();
        const quarter = total === 0 ? 4 : Math.floor((count / total) * 4);
        if (quarter > lastQuarter && count < total) {
          lastQuarter = quarter;
          this.out.write(`   ${label}: ${count}/${total}\n`);
        }
      },
      done: (summary) => {
        count = total;
        if (this.tty) {
          draw();
          this.out.write('\n');
        }
        this.out.write(`   ${this.paint('32', '✔')} ${summary ?? `${label}: ${total}/${total}`}\n`);
      },
    };
  }

  table(table: Table): void {
    this.out.write('\n');
    for (const line of renderTable(table)) this.out.write(`   ${line}\n`);
  }
}

/** Keeps the narration in memory (tests print it when asked, or when the story fails). */
export class RecordingNarrator implements Narrator {
  readonly lines: string[] = [];

  chapter(number: number, title: string): void {
    this.lines.push(`${number}. ${title}`);
  }

  say(line: string): void {
    this.lines.push(`   ${line}`);
  }

  progress(label: string, total: number): Progress {
    return {
      tick: () => undefined,
      done: (summary) => this.lines.push(`   ✔ ${summary ?? `${label}: ${total}/${total}`}`),
    };
  }

  table(table: Table): void {
    this.lines.push(...renderTable(table).map((line) => `   ${line}`));
  }
}
