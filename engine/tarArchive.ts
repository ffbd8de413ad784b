/**
 * A minimal ustar writer for container uploads (the provider sends each upload as a tar entry named after the
 * target path and extracts it at "/"). Regular files only.
 */

export interface TarEntry {
    name: string;
    content: Buffer;
    mode: number;
}

const BLOCK = 512;

export function tarArchive(entries: readonly TarEntry[]): Buffer {
    const parts: Buffer[] = [];
    const mtime = Math.floor(Date.now() / 1000);
    for (const entry of entries) {
        parts.push(header(entry, mtime));
        parts.push(entry.content);
        const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
        if (pad > 0) parts.push(Buffer.alloc(pad));
    }
    parts.push(Buffer.alloc(BLOCK * 2));
    return Buffer.concat(parts);
}

function header(entry: TarEntry, mtime: number): Buffer {
    const buf = Buffer.alloc(BLOCK);
    let name = entry.name;
    let prefix = "";
    if (Buffer.byteLength(name) > 100) {
        const cut = name.lastIndexOf("/", name.length - 1);
        prefix = name.slice(0, cut);
        name = name.slice(cut + 1);
        if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
            throw new Error(`docker test engine: upload path too long for a tar entry: ${entry.name}`);
        }
    }
    buf.write(name, 0, 100, "utf8");
    octal(buf, 100, 8, entry.mode);
    octal(buf, 108, 8, 0); // uid
    octal(buf, 116, 8, 0); // gid
    octal(buf, 124, 12, entry.content.length);
    octal(buf, 136, 12, mtime);
    buf.write("        ", 148, 8, "ascii"); // checksum placeholder
    buf.write("0", 156, 1, "ascii"); // regular file
    buf.write("ustar\0", 257, 6, "ascii");
    buf.write("00", 263, 2, "ascii");
    buf.write(prefix, 345, 155, "utf8");
    let sum = 0;
    for (const byte of buf) sum += byte;
    buf.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
    return buf;
}

function octal(buf: Buffer, offset: number, length: number, value: number): void {
    buf.write(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length, "ascii");
}
