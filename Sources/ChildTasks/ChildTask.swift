/// Runs work in a child task, so the async frames it takes are given back when it ends.
///
/// Swift's task allocator keeps every slab a task's frames ever took until the task ends (a freed slab is kept for
/// reuse, and a bigger frame later gets one slab of the accumulated capacity: swift stdlib `StackAllocator.h`,
/// `getSlabForAllocation`). A task that waits long after deep work — a workflow step polling a host through its
/// POST, a thousand of them at once in `bench fleet` — would hold the deep work's frames through the wait; run in a
/// child task, they are freed when it returns.
public enum ChildTask {
    /// Runs `body` in a child task of the current one (cancelled with it) and returns its result or its error. Never
    /// inlined: the task group's state would otherwise grow each caller's own frame, which a waiting caller keeps
    /// (`scripts/async_frames.py`: `waitForPOSTEnd` 2,320 → 1,296 bytes).
    @inline(never)
    public static func run<Value: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let result = await withTaskGroup(of: Result<Value, Failure>.self) { group in
            group.addTask {
                do throws(Failure) {
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
            guard let result = await group.next() else {
                preconditionFailure("a task group with one child task yields one result")
            }
            return result
        }
        return try result.get()
    }
}
