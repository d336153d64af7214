import Foundation
import Logging
import Store
import Testing

@testable import WorkflowEngine

/// Child workflows a step runs (a firmware rollout's waves): found again, never made twice, and stopped with their
/// parent without touching the engine's other runs.
extension EngineTests {
    static func childDefinitions(_ started: AsyncStream<String>.Continuation, holdChildren: Bool)
        -> [WorkflowDefinition]
    {
        [
            WorkflowDefinition(
                name: "child", version: 1, summary: "",
                steps: [
                    StepDefinition("work", idempotent: true) { context in
                        started.yield(context.serverID)
                        if holdChildren { try await Task.sleep(for: .seconds(3600)) }
                        return .done(output: "{}")
                    }
                ]),
            WorkflowDefinition(
                name: "parent", version: 1, summary: "",
                steps: [
                    StepDefinition("fan-out", idempotent: true) { context in
                        let children = ["S1", "S2"].map {
                            ChildWorkflow(definition: "child", serverID: $0, input: [:])
                        }
                        let first = try await context.runChildren(batch: "\(context.workflowID)-b", children)
                        // Asked again (a step run again after a crash): the same runs, driven on, none made anew.
                        let again = try await context.runChildren(batch: "\(context.workflowID)-b", children)
                        return .done(output: StepContext.json([first.map(\.id), again.map(\.id)]))
                    }
                ]),
            WorkflowDefinition(
                name: "other", version: 1, summary: "",
                steps: [
                    StepDefinition("work", idempotent: true) { context in
                        started.yield(context.serverID)
                        try await Task.sleep(for: .seconds(3600))
                        return .done(output: "{}")
                    }
                ]),
        ]
    }

    @Test("a step's children run to their end once; asked again, the same runs come back")
    func childrenOnce() async throws {
        let store = makeStore()
        let (_, started) = AsyncStream.makeStream(of: String.self)
        let engine = Engine(
            repository: store, definitions: Self.childDefinitions(started, holdChildren: false),
            logger: Logger(label: "children"))
        let parent = try await engine.create(definition: "parent", serverID: "fleet", input: [:])
        let result = try #require(await engine.run([parent.id]).first)
        #expect(result.state == .succeeded, "\(result.reason ?? "")")
        let children = try await store.workflows(WorkflowFilter(batch: "\(parent.id)-b"))
        #expect(children.count == 2 && children.allSatisfy { $0.state == .succeeded })
        let output = try #require(try await store.steps(workflowID: parent.id).first?.output)
        let ids = try JSONDecoder().decode([[String]].self, from: Data(output.utf8))
        #expect(ids[0] == ids[1] && Set(ids[0]) == Set(children.map(\.id)))
    }

    @Test("cancelling the parent cancels its children and leaves the engine's other runs running")
    func cancelParent() async throws {
        let store = makeStore()
        let (started, signal) = AsyncStream.makeStream(of: String.self)
        let engine = Engine(
            repository: store, definitions: Self.childDefinitions(signal, holdChildren: true),
            logger: Logger(label: "children"))
        let parent = try await engine.create(definition: "parent", serverID: "fleet", input: [:])
        let other = try await engine.create(definition: "other", serverID: "S9", input: [:])
        async let results = engine.run([parent.id, other.id])
        var seen: Set<String> = []
        for await server in started {
            seen.insert(server)
            if seen == ["S1", "S2", "S9"] { break }
        }
        try await engine.cancel(parent.id)
        while try await store.workflow(id: parent.id)?.state != .cancelled {
            try await Task.sleep(for: .milliseconds(5))
        }
        let children = try await store.workflows(WorkflowFilter(batch: "\(parent.id)-b"))
        #expect(children.count == 2 && children.allSatisfy { $0.state == .cancelled }, "\(children.map(\.state))")
        #expect(try await store.workflow(id: other.id)?.state == .running, "the other run is not the parent's")
        try await engine.cancel(other.id)
        let final = await results
        #expect(final.map(\.state) == [.cancelled, .cancelled])
    }

    @Test("a child another process held when it stopped is taken over once that process's lease lapses")
    func childHeldElsewhere() async throws {
        let store = makeStore()
        let (_, started) = AsyncStream.makeStream(of: String.self)
        let engine = Engine(
            repository: store, definitions: Self.childDefinitions(started, holdChildren: false),
            leaseTimeout: .milliseconds(300), logger: Logger(label: "children"))
        let parent = try await engine.create(definition: "parent", serverID: "fleet", input: [:])
        // The first child exists already and is held by a process on another host that stopped heartbeating.
        let held = try await engine.create(definition: "child", serverID: "S1", input: [:], batch: "\(parent.id)-b")
        let claimed = try await store.claimWorkflow(
            id: held.id, owner: "elsewhere:1", replacing: nil, staleBefore: .distantPast, at: Date())
        #expect(claimed?.owner == "elsewhere:1")
        let result = try #require(await engine.run([parent.id]).first)
        #expect(result.state == .succeeded, "\(result.reason ?? "")")
        let children = try await store.workflows(WorkflowFilter(batch: "\(parent.id)-b"))
        #expect(children.count == 2 && children.allSatisfy { $0.state == .succeeded })
        #expect(children.contains { $0.id == held.id }, "the held child was driven on, not made again")
    }
}
