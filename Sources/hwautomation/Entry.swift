import ArgumentParser
import HWAutomationCLI

/// The `hwautomation` executable: parses the command line and runs the command (see `HWAutomationCommand`).
@main
struct Entry {
    static func main() async {
        await HWAutomationCommand.run()
    }
}
