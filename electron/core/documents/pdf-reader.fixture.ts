import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF reader for tests to see what a printed document holds
 * (no pdftotext here): the title, the pages in order, and each page's text as
 * Chromium writes it (Flate content streams, CID fonts with ToUnicode maps).
 */
export interface PdfFacts {
  title: string | null;
  pages: string[];
  /** Each page's MediaBox width and height in points, rounded. */
  sizes: Array<[number, number]>;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

const utf16be = (hex: string): string => {
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
};

function objects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const found = new Map<number, PdfObject>();
  for (const m of text.matchAll(/(?:^|\s)(\d+) 0 obj\b/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const streamAt = body.search(/\bstream\r?\n/);
    if (streamAt === -1) {
      found.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dataStart = start + streamAt + body.slice(streamAt).indexOf('\n') + 1;
    const dataEnd = text.lastIndexOf('endstream', end);
    const raw = bytes.subarray(dataStart, dataEnd);
    const dict = body.slice(0, streamAt);
    found.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  return found;
}

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(src!, 16), utf16be(dst!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst, list] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g)) {
      const from = parseInt(lo!, 16);
      const to = parseInt(hi!, 16);
      const items = list ? [...list.matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => utf16be(x[1]!)) : null;
      for (let code = from; code <= to; code++) {
        if (items) map.set(code, items[code - from] ?? '');
        else map.set(code, String.fromCharCode(parseInt(dst!, 16) + (code - from)));
      }
    }
  }
  return map;
}

const refs = (s: string): number[] => [...s.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));

export function readPdf(bytes: Buffer): PdfFacts {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  const objs = objects(bytes);
  // The document's title is the Info dictionary's (outline entries have titles too).
  const info = /\/Info\s+(\d+) 0 R/.exec(bytes.toString('latin1'));
  const t = /\/Title\s*(?:<([0-9A-Fa-f]+)>|\(((?:\\.|[^\\)])*)\))/.exec(objs.get(Number(info?.[1]))?.dict ?? '');
  const title = !t ? null : t[1] !== undefined ? utf16be(t[1].replace(/^FEFF/i, '')) : t[2]!.replace(/\\(.)/g, '$1');
  const pageIds: number[] = [];
  const walk = (id: number): void => {
    const dict = objs.get(id)?.dict ?? '';
    if (/\/Type\s*\/Pages\b/.test(dict)) for (const kid of refs(/\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? '')) walk(kid);
    else if (/\/Type\s*\/Page\b/.test(dict)) pageIds.push(id);
  };
  const root = [...objs.entries()].find(([, o]) => /\/Type\s*\/Catalog\b/.test(o.dict));
  walk(Number(/\/Pages\s+(\d+) 0 R/.exec(root?.[1].dict ?? '')?.[1]));
  const pages = pageIds.map((id) => {
    const dict = objs.get(id)!.dict;
    const resources = /\/Resources\s+(\d+) 0 R/.exec(dict);
    const resDict = resources ? objs.get(Number(resources[1]))!.dict : dict;
    const fonts = new Map<string, Map<number, string>>();
    for (const [, name, ref] of (/\/Font\s*<<([^>]*)>>/.exec(resDict)?.[1] ?? '').matchAll(/\/(\S+)\s+(\d+) 0 R/g)) {
      const cmapRef = /\/ToUnicode\s+(\d+) 0 R/.exec(objs.get(Number(ref))?.dict ?? '');
      const cmap = cmapRef ? objs.get(Number(cmapRef[1]))?.stream?.toString('latin1') : undefined;
      fonts.set(name!, cmap ? toUnicode(cmap) : new Map());
    }
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(dict)?.[1] ?? '';
    let text = '';
    for (const ref of refs(contents)) {
      const ops = objs.get(ref)?.stream?.toString('latin1') ?? '';
      let font = new Map<number, string>();
      for (const m of ops.matchAll(/\/(\S+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\b(ET)\b/g)) {
        if (m[1] !== undefined) font = fonts.get(m[1]) ?? new Map();
        else if (m[2] !== undefined) for (let i = 0; i + 4 <= m[2].length; i += 4) text += font.get(parseInt(m[2].slice(i, i + 4), 16)) ?? '';
        else text += '\n';
      }
    }
    return text;
  });
  const sizes = pageIds.map((id): [number, number] => {
    const box = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(objs.get(id)!.dict);
    return box ? [Math.round(Number(box[3]) - Number(box[1])), Math.round(Number(box[4]) - Number(box[2]))] : [0, 0];
  });
  return { title, pages, sizes };
}
