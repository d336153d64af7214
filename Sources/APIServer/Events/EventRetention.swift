import Foundation

/// How long the progress events of finished runs are kept (`serve --event-retention 30d`): a whole number of days
/// (`d`), hours (`h`) or minutes (`m`).
public struct EventRetention: Sendable, Hashable, CustomStringConvertible {
    /// The retention in seconds.
    public let seconds: Int64
    /// As given (`30d`).
    public let text: String

    /// Why a retention text is refused, naming the option it was given to.
    public struct ParseError: Error, CustomStringConvertible {
        /// The option or field the text came from.
        public let option: String
        /// The text given.
        public let text: String
        /// What is wrong.
        public var description: String {
            "\(option): `\(text)` is not a duration: give a whole number of days, hours or minutes, from 1m to "
                + "3650d (such as 30d, 12h or 90m)"
        }
    }

    /// Parses `30d`, `12h` or `90m` (at least one minute, at most ten years); `option` names where it came from in
    /// the error.
    public init(parsing text: String, option: String = "--event-retention") throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60]
        guard let unit = trimmed.last, let scale = units[unit],
            trimmed.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int64(trimmed.dropLast()),
            count > 0,
            count * scale <= 3650 * 86_400
        else { throw ParseError(option: option, text: text) }
        seconds = count * scale
        self.text = trimmed
    }

    /// The retention as a duration.
    public var duration: Duration { .seconds(seconds) }

    /// How often the pruner looks: a tenth of the retention, from one minute to one hour.
    public var interval: Duration { .seconds(min(3_600, max(60, seconds / 10))) }

    /// The text given.
    public var description: String { text }
}
