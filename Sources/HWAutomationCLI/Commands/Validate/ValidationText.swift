import Foundation
import Orchestration

/// How the validate commands print reports.
enum ValidationText {
    /// Per server a verdict line, then its checks.
    static func reports(_ reports: [BoardingReport]) -> String {
        var lines: [String] = []
        for report in reports {
            let counts = Dictionary(grouping: report.checks, by: \.result).mapValues(\.count)
            lines.append(
                "\(report.serverID) (\(report.deviceType)): " + (report.passed ? "PASSED" : "NEEDS ATTENTION")
                    + " — \(counts[.passed] ?? 0) passed, \(counts[.failed] ?? 0) failed, "
                    + "\(counts[.notChecked] ?? 0) not checked  (\(report.checkedAt.formatted(.iso8601)))"
            )
            var table = TextTable(["CHECK", "RESULT", "DETAIL"])
            for check in report.checks { table.add([check.name.rawValue, check.result.rawValue, check.detail]) }
            lines.append(table.render())
            lines.append("")
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
