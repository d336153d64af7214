extension Classification {
    /// This classification with the discovery problems that bear on it: those in a section the classifier compares
    /// (`InventorySection.classified`) are listed in `problems` and, when there is any, the confidence drops one step
    /// (high → medium, medium → low; low stays low): a fact that could not be read might have contradicted the type.
    /// Problems elsewhere (the BMC's own settings, an optional tool such as lshw) change nothing.
    public func weighing(_ problems: [InventoryProblem]) -> Classification {
        var result = self
        result.problems = problems.filter { $0.section.map(InventorySection.classified.contains) ?? false }
        guard !result.problems.isEmpty else { return result }
        switch confidence {
        case .high: result.confidence = .medium
        case .medium: result.confidence = .low
        case .low, .none: break
        }
        return result
    }

    /// The problems as lines for people: `not read (memory): redfish /redfish/v1/Systems/1/Memory/DIMM3: …`.
    public var problemLines: [String] {
        problems.map { problem in "not read (\(problem.section?.rawValue ?? "inventory")): \(problem)" }
    }
}
