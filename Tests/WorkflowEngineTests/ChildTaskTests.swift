import ChildTasks
import Testing

@Suite("ChildTask: work in a child task")
struct ChildTaskTests {
    struct Refused: Error, Equatable {
        var why: String
    }

    @Test("returns the child's value, and its typed error as that type")
    func valueAndTypedError() async throws {
        let value = await ChildTask.run { () async -> Int in 6 * 7 }
        #expect(value == 42)
        do {
            _ = try await ChildTask.run { () async throws(Refused) -> Int in throw Refused(why: "no") }
            Issue.record("the child's error was not thrown")
        } catch {
            // `error` is `Refused` here, not `any Error`: the typed throw passes through.
            #expect(error == Refused(why: "no"))
        }
    }

    @Test("the child runs in a task of its own, cancelled with its parent")
    func cancelledWithParent() async throws {
        let parent = Task {
            try await ChildTask.run { () async throws -> Bool in
                // Sleeps until cancelled: the parent's cancellation reaches the child.
                try await Task.sleep(for: .seconds(3600))
                return false
            }
        }
        parent.cancel()
        await #expect(throws: CancellationError.self) { try await parent.value }
    }
}
