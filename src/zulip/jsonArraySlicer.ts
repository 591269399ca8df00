// Parses a JSON object whose one big array (GET /users' `members`) is cut at its top-level element
// boundaries as the bytes arrive: each element is decoded and JSON.parse'd alone, so no single
// step handles the whole 46 MB answer of a 100,000-member organization (JSON.parse of it, or even
// turning the bytes into one string, blocks the thread for half a second). Everything outside the
// array (result, msg, …) is kept as the "envelope" text, with the array replaced by [], and parsed
// at the end. The scan works on bytes: in UTF-8 the bytes of `"`, `\`, brackets and commas never
// occur inside a multi-byte character. Strings are skipped with indexOf, escapes counted, so a
// bracket or comma inside a name or a profile field never cuts an element.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The envelope's text right before an array that is the wanted key's value. */
function endsWithKey(envelope: string, key: string): boolean {
  return new RegExp(`"${key}"\\s*:\\s*\\[$`).test(envelope);
}

export interface SlicedJson {
  /** The whole text when it was not an object holding the array; else the object without it. */
  envelope: string;
  /** The array's elements, parsed one by one (undefined when the key was not found). */
  elements?: unknown[];
  /** Bytes received. */
  bytes: number;
}

/** Thrown when the bytes are not complete, valid JSON (the caller words it for people). */
export class JsonSliceError extends SyntaxError {
  constructor(
    message: string,
    /** What was received as text, for telling a web page from cut-off JSON. */
    readonly received: string,
    readonly bytes: number,
  ) {
    super(message);
    this.name = 'JsonSliceError';
  }
}

/**
 * Feed it chunks (`push`), then `finish`. Each push does work proportional to its chunk, so the
 * caller decides when to yield. `key` names the top-level array to cut (default `members`).
 */
export class JsonArraySlicer {
  private depth = 0;
  private inString = false;
  /** The first byte of the next chunk is escaped (a chunk ended inside a string on a `\`). */
  private escapeCarry = false;
  /** First non-whitespace byte seen: `{` means an object whose array we may cut. */
  private top: number | undefined;
  /** Depth inside the wanted array (its elements start at this depth), or 0 when outside it. */
  private arrayDepth = 0;
  /** Inside the array: bytes of an element begun in earlier chunks. */
  private elementParts: Buffer[] = [];
  private elementOpen = false;
  /** A comma was seen and no element followed yet. */
  private expectElement = false;
  private readonly envelopeParts: Buffer[] = [];
  private elements?: unknown[];
  private bytes = 0;
  private failed?: string;
  /** Elements complete within the current chunk, parsed together at its end: [start, end) bytes. */
  private batchStart = -1;
  private batchEnd = -1;

  /** Inside a top-level array of `discard`: its elements are scanned past, never parsed or kept. */
  private discarding = false;

  constructor(
    private readonly key = 'members',
    /** Top-level arrays to leave out (left as [] in the envelope): answers carrying more than is wanted. */
    private readonly discard: readonly string[] = [],
  ) {}

  /** Elements parsed so far (the ones of a complete array at the end). */
  get count(): number {
    return this.elements?.length ?? 0;
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.failed) return;
    if (this.top !== undefined && this.top !== OPEN_BRACE) {
      // Not an object (a web page, a bare value): kept whole for the caller's own parse.
      this.envelopeParts.push(chunk);
      return;
    }
    const n = chunk.length;
    let i = 0;
    // Where the current envelope segment or element began in this chunk (-1: not in one).
    let envelopeStart = this.arrayDepth === 0 ? 0 : -1;
    let elementStart = this.arrayDepth !== 0 && this.elementOpen ? 0 : -1;
    while (i < n) {
      if (this.inString) {
        if (this.escapeCarry) {
          this.escapeCarry = false;
          i++;
          continue;
        }
        let j = chunk.indexOf(QUOTE, i);
        while (j >= 0) {
          let k = j - 1;
          while (k >= i && chunk[k] === BACKSLASH) k--;
          if ((j - 1 - k) % 2 === 0) break;
          j = chunk.indexOf(QUOTE, j + 1);
        }
        if (j < 0) {
          // The string goes on in the next chunk; an odd run of backslashes at the end escapes its first byte.
          let k = n - 1;
          while (k >= i && chunk[k] === BACKSLASH) k--;
          this.escapeCarry = (n - 1 - k) % 2 === 1;
          break;
        }
        this.inString = false;
        i = j + 1;
        continue;
      }
      const c = chunk[i];
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      if (this.top === undefined) {
        this.top = c;
        if (c !== OPEN_BRACE) break;
      }
      if (this.arrayDepth !== 0 && this.depth === this.arrayDepth && !this.elementOpen && c !== CLOSE_BRACKET && c !== COMMA) {
        // An element begins.
        this.elementOpen = true;
        this.expectElement = false;
        elementStart = i;
      }
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
        if (c === OPEN_BRACKET && this.depth === 2 && this.arrayDepth === 0 && this.top === OPEN_BRACE) {
          this.envelopeParts.push(chunk.subarray(envelopeStart, i + 1));
          envelopeStart = -1;
          const envelope = Buffer.concat(this.envelopeParts).toString('utf8');
          if (endsWithKey(envelope, this.key)) {
            this.arrayDepth = 2;
            this.elements = [];
          } else if (this.discard.some((key) => endsWithKey(envelope, key))) {
            this.arrayDepth = 2;
            this.discarding = true;
          } else {
            envelopeStart = i + 1;
          }
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.arrayDepth !== 0 && this.depth === this.arrayDepth) {
          // The array ends (a `}` here is caught by the element's or the envelope's parse).
          if (this.elementOpen) this.endElement(chunk, elementStart, i);
          else if (this.expectElement) return this.fail('an empty element before the end of the array');
          this.flushBatch(chunk);
          elementStart = -1;
          this.arrayDepth = 0;
          this.discarding = false;
          envelopeStart = i;
        }
        this.depth--;
        if (this.depth < 0) return this.fail('a closing bracket with nothing open');
      } else if (c === COMMA && this.arrayDepth !== 0 && this.depth === this.arrayDepth) {
        if (!this.elementOpen) return this.fail('an empty element in the array');
        this.endElement(chunk, elementStart, i);
        elementStart = -1;
        this.expectElement = true;
      }
      if (this.failed) return;
      i++;
    }
    this.flushBatch(chunk);
    if (envelopeStart >= 0 && this.arrayDepth === 0) this.envelopeParts.push(chunk.subarray(envelopeStart));
    if (elementStart >= 0 && this.elementOpen && !this.discarding) this.elementParts.push(chunk.subarray(elementStart));
  }

  /** The parsed result; throws JsonSliceError when the bytes were cut off or are not JSON. */
  finish(): SlicedJson {
    const envelope = Buffer.concat(this.envelopeParts).toString('utf8');
    if (this.failed) throw new JsonSliceError(this.failed, envelope, this.bytes);
    if (this.inString || this.depth !== 0 || this.arrayDepth !== 0) {
      throw new JsonSliceError('The JSON text ends before it is complete.', envelope, this.bytes);
    }
    return { envelope, elements: this.elements, bytes: this.bytes };
  }

  private endElement(chunk: Buffer, start: number, end: number): void {
    this.elementOpen = false;
    if (this.discarding) return;
    if (this.elementParts.length === 0) {
      // Begun in this chunk: parsed with the others of the chunk, in one JSON.parse (one call per
      // member costs more than the parsing itself at this size).
      if (this.batchStart < 0) this.batchStart = start;
      this.batchEnd = end;
      return;
    }
    // Begun in an earlier chunk: parsed alone, after the ones before it.
    this.flushBatch(chunk);
    const bytes = Buffer.concat([...this.elementParts, chunk.subarray(0, end)]);
    this.elementParts = [];
    this.parseInto(`[${bytes.toString('utf8')}]`);
  }

  /** Parses the elements completed in this chunk so far (separated by commas and whitespace only). */
  private flushBatch(chunk: Buffer): void {
    if (this.batchStart < 0) return;
    const text = `[${chunk.toString('utf8', this.batchStart, this.batchEnd)}]`;
    this.batchStart = this.batchEnd = -1;
    this.parseInto(text);
  }

  private parseInto(arrayText: string): void {
    if (this.failed) return;
    try {
      for (const element of JSON.parse(arrayText) as unknown[]) this.elements!.push(element);
    } catch (error) {
      this.fail(`an element after the first ${this.elements!.length} of the array: ${(error as Error).message.slice(0, 200)}`);
    }
  }

  private fail(reason: string): void {
    this.failed ??= `Not valid JSON: ${reason}.`;
  }
}
