import { strict as assert } from "assert";
import { sleep, waitFor } from "../../lib/wait";

describe("wait: the one sleep and the one waitFor", () => {
    it("sleeps for the time asked", async () => {
        const started = Date.now();
        await sleep(120);
        // Node may fire a timer a millisecond early (it rounds), never much later on an idle loop.
        assert.ok(Date.now() - started >= 115, `woke after ${Date.now() - started} ms`);
    });

    it("ends a sleep at once when its signal aborts, before or during the sleep", async () => {
        const aborted = new AbortController();
        aborted.abort();
        let started = Date.now();
        await sleep(10_000, aborted.signal);
        assert.ok(Date.now() - started < 100, "an aborted signal still slept");

        const later = new AbortController();
        setTimeout(() => later.abort(), 50);
        started = Date.now();
        await sleep(10_000, later.signal);
        assert.ok(Date.now() - started < 1000, "an abort during the sleep did not wake it");
    });

    it("returns as soon as the check is true, sync or async", async () => {
        let calls = 0;
        await waitFor("the third call", () => ++calls === 3, 5000, { everyMs: 10 });
        assert.equal(calls, 3);
        calls = 0;
        await waitFor("an async check", async () => ++calls === 2, 5000, { everyMs: 10 });
        assert.equal(calls, 2);
    });

    it("bounds a wait in time and in attempts, and reports the last state seen", async () => {
        let calls = 0;
        await assert.rejects(
            waitFor("node-1 UP", async () => `node-1 DOWN (${++calls})`, 300, { everyMs: 50 }),
            (err: Error) => {
                assert.equal(err.message, `timed out after 0.3 s waiting for node-1 UP (last: node-1 DOWN (${calls}))`);
                return true;
            },
        );
        // 300 ms / 50 ms + 1: never more attempts than that, however fast the check.
        assert.ok(calls >= 2 && calls <= 7, `${calls} attempts`);
    });

    it("makes at most timeoutMs/everyMs + 1 attempts even when the clock stands still", async () => {
        let calls = 0;
        await assert.rejects(
            waitFor("a frozen clock", () => `call ${++calls}`, 100, { everyMs: 10, now: () => 0 }),
            {
                message: "timed out after 0.1 s waiting for a frozen clock (last: call 11)",
            },
        );
        assert.equal(calls, 11);
    });

    it("returns the time it took on its clock", async () => {
        let t = 1000;
        let calls = 0;
        const ms = await waitFor("the second call", () => ++calls === 2, 5000, { everyMs: 1, now: () => (t += 40) });
        // now() at the start (1040), before the first call (1080), before the second (1120), at the end (1160).
        assert.equal(ms, 120);
    });

    it("treats a throw as not yet, and reports its message", async () => {
        let calls = 0;
        const ms = await waitFor(
            "a flaky check",
            () => {
                if (++calls < 3) throw new Error(`refused ${calls}`);
                return true;
            },
            5000,
            { everyMs: 10 },
        );
        assert.equal(calls, 3);
        assert.ok(ms < 1000);
        await assert.rejects(
            waitFor(
                "a broken check",
                () => {
                    throw new Error("ECONNREFUSED");
                },
                50,
                { everyMs: 10 },
            ),
            { message: "timed out after 0.05 s waiting for a broken check (last: ECONNREFUSED)" },
        );
        await assert.rejects(
            waitFor("never", () => false, 50, { everyMs: 10 }),
            { message: "timed out after 0.05 s waiting for never" },
        );
    });

    it("stops when interrupted, without waiting out its timeout", async () => {
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(), 50);
        const started = Date.now();
        await assert.rejects(
            waitFor("node-1 UP", () => "DOWN", 60_000, { everyMs: 5000, signal: ctl.signal }),
            {
                message: "interrupted while waiting for node-1 UP",
            },
        );
        assert.ok(Date.now() - started < 1000, "the abort did not end the wait");
    });
});
