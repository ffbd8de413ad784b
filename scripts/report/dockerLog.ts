/**
 * Docker's log stream of a container without a TTY is multiplexed: frames of an 8-byte header (stream type,
 * three zero bytes, big-endian payload length) and the payload (Docker Engine API, "Attach to a container").
 * Returns the text of the stdout and stderr frames in order; a truncated last frame is kept as far as it goes.
 */
export function demuxDockerLog(buffer: Buffer): string {
    const parts: Buffer[] = [];
    let offset = 0;
    while (offset + 8 <= buffer.length) {
        const type = buffer[offset];
        const size = buffer.readUInt32BE(offset + 4);
        if (type > 2 || buffer[offset + 1] !== 0 || buffer[offset + 2] !== 0 || buffer[offset + 3] !== 0) {
            // Not a multiplexed stream (a TTY container): the bytes are the log itself.
            return buffer.toString("utf8");
        }
        parts.push(buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + size)));
        offset += 8 + size;
    }
    return Buffer.concat(parts).toString("utf8");
}
