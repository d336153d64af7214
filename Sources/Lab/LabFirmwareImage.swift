import Foundation

/// The firmware images lab BMCs accept: a header naming the component and version (and, for tests and demos, a
/// fault the flash should hit), then payload bytes. A lab BMC reads the header of what it is given (pushed, or
/// downloaded from `ImageURI`), as a real BMC reads its image's signature block.
public enum LabFirmwareImage {
    static let magic = "HWA-LAB-FIRMWARE"

    /// How a flash of the image goes wrong.
    public enum Fault: String, Sendable {
        /// The task ends in `Exception` and the component is left in recovery (health Critical).
        case exception
    }

    /// An image for `component` (`bmc`, `bios`) at `version`, `payload` bytes long after the header.
    public static func make(component: String, version: String, fault: Fault? = nil, payload: Int = 4096) -> Data {
        var text = "\(magic)\ncomponent=\(component)\nversion=\(version)\n"
        if let fault { text += "fault=\(fault.rawValue)\n" }
        var data = Data((text + "\n").utf8)
        // FNV-1a of the header: the same image every run.
        var random = SeededRandom(
            seed: text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
        data.append(contentsOf: (0..<payload).map { _ in UInt8.random(in: 0...255, using: &random) })
        return data
    }

    /// The header of an image: nil when the bytes are not a lab image.
    static func parse(_ data: Data) -> (component: String, version: String, fault: Fault?)? {
        let head = data.prefix(512)
        guard let end = head.firstRange(of: Data("\n\n".utf8)) else { return nil }
        let lines = String(decoding: head[..<end.lowerBound], as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == magic else { return nil }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let component = fields["component"], let version = fields["version"] else { return nil }
        return (component, version, fields["fault"].flatMap(Fault.init(rawValue:)))
    }
}
