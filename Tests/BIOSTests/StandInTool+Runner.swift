import Logging
import Remote
import TestSupport

extension StandInTool {
    /// The runner the tools under test start the stand-ins with.
    static let runner = ProcessRunner(logger: Logger(label: "standin"))
}
