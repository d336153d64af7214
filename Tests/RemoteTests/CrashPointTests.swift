import Remote
import Testing

/// The crash campaign's fault-injection hook: what `HWA_CRASH_POINTS` may say.
@Suite("Crash points")
struct CrashPointTests {
    @Test("NAME:PROBABILITY entries, comma-separated, become probabilities by point")
    func parses() throws {
        let points = try CrashPoint.parse("bios.patched:0.3, store.commit:0.01,firmware.task:1")
        #expect(points == ["bios.patched": 0.3, "store.commit": 0.01, "firmware.task": 1])
        #expect(try CrashPoint.parse("").isEmpty)
    }

    @Test("an unknown point, a missing or out-of-range probability is refused, naming the entry")
    func refuses() {
        for (text, named) in [
            ("bios.patch:0.3", "`bios.patch`"), ("store.commit", "`store.commit`"),
            ("vendor.tool:1.5", "`vendor.tool:1.5`"), ("firmware.task:x", "`firmware.task:x`"),
        ] {
            #expect(throws: CrashPointError.self) { try CrashPoint.parse(text) }
            do {
                _ = try CrashPoint.parse(text)
            } catch {
                #expect(error.message.contains(named), "\(error.message)")
                #expect(error.message.contains(CrashPoint.variable))
            }
        }
    }

    @Test("unarmed (this test process has no HWA_CRASH_POINTS), a hit and a guarded body do nothing")
    func inertWhenUnset() async throws {
        CrashPoint.hit(CrashPoint.storeCommit)
        let value = await CrashPoint.during(CrashPoint.vendorTool) { () async -> Int in 42 }
        #expect(value == 42)
    }
}
