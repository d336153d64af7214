import Foundation

/// Reads the legacy catalog's free-text storage and network strings.
public enum HardwareSpecParser {
    /// Why a string could not be read.
    public struct Failure: Error, Sendable, Equatable {
        /// A sentence naming the part that was not understood.
        public var reason: String
    }

    /// `2x 1TB NVMe`, `1x 480GB SSD`, `2x 4TB NVMe + DCPMM 2,048 GB`, `6x 15.36TB NVMe + 1x 1TB NVMe Boot Drive`.
    public static func storage(_ text: String) -> Result<[DriveGroup], Failure> {
        var groups: [DriveGroup] = []
        for part in text.split(separator: "+") {
            switch drive(String(part)) {
            case .success(let group): groups.append(group)
            case .failure(let failure): return .failure(failure)
            }
        }
        guard !groups.isEmpty else { return .failure(Failure(reason: "no drives in '\(text)'")) }
        return .success(groups)
    }

    /// `2x 25Gbps`, `4x 10GbE`, `1x 1Gbps`.
    public static func network(_ text: String) -> Result<[NICGroup], Failure> {
        var groups: [NICGroup] = []
        for part in text.split(separator: "+") {
            var tokens = Tokens(String(part))
            let count = tokens.count() ?? 1
            guard let (value, unit) = tokens.quantity(),
                let scale = ["gbps": 1.0, "gbe": 1.0, "g": 1.0, "gb": 1.0, "mbps": 0.001, "mbe": 0.001][unit]
            else {
                return .failure(
                    Failure(reason: "cannot read a port speed in '\(part.trimmed)' (expected e.g. '2x 25Gbps')"))
            }
            guard (value * scale).isFinite else {
                return .failure(Failure(reason: "the port speed in '\(part.trimmed)' is not a usable number"))
            }
            groups.append(NICGroup(count: count, speedGbps: value * scale))
        }
        guard !groups.isEmpty else { return .failure(Failure(reason: "no ports in '\(text)'")) }
        return .success(groups)
    }

    private static func drive(_ text: String) -> Result<DriveGroup, Failure> {
        var tokens = Tokens(text)
        let count = tokens.count() ?? 1
        var size: Double?
        var kind: DriveGroup.Kind?
        var rest: [String] = []
        while !tokens.isEmpty {
            if size == nil, let (value, unit) = tokens.quantity() {
                guard let scale = ["tb": 1000.0, "gb": 1.0, "pb": 1_000_000.0][unit] else {
                    return .failure(Failure(reason: "unknown size unit '\(unit)' in '\(text.trimmed)'"))
                }
                guard (value * scale).isFinite else {
                    return .failure(Failure(reason: "the drive size in '\(text.trimmed)' is not a usable number"))
                }
                size = value * scale
                continue
            }
            let word = tokens.next()
            switch word.lowercased() {
            case "nvme", "u.2", "m.2": kind = kind ?? .nvme
            case "ssd", "sata", "sas": kind = kind ?? .ssd
            case "hdd", "disk": kind = kind ?? .hdd
            case "dcpmm", "pmem", "optane": kind = .persistentMemory
            default: rest.append(word)
            }
        }
        guard let size else {
            return .failure(
                Failure(reason: "cannot read a drive size in '\(text.trimmed)' (expected e.g. '2x 1TB NVMe')"))
        }
        guard let kind else {
            return .failure(Failure(reason: "cannot read the drive kind (NVMe, SSD, HDD) in '\(text.trimmed)'"))
        }
        let role = rest.isEmpty ? nil : rest.joined(separator: " ").lowercased()
        return .success(DriveGroup(count: count, sizeGB: size, kind: kind, role: role))
    }
}

/// A tiny tokenizer for `2x 1TB NVMe`-style strings.
private struct Tokens {
    private var words: [Substring]

    init(_ text: String) {
        words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    var isEmpty: Bool { words.isEmpty }

    mutating func next() -> String { String(words.removeFirst()) }

    /// A leading `2x` / `2 x` / `2×` (a whole number from 0 to 1,000,000; anything else is not a count).
    mutating func count() -> Int? {
        guard let first = words.first else { return nil }
        let lowered = first.lowercased()
        let plausible = { (value: Int) in (0...1_000_000).contains(value) }
        for suffix in ["x", "×"] where lowered.hasSuffix(suffix) {
            if let value = Int(lowered.dropLast(suffix.count)), plausible(value) {
                words.removeFirst()
                return value
            }
        }
        if let value = Int(lowered), plausible(value), words.count > 1, ["x", "×"].contains(words[1].lowercased()) {
            words.removeFirst(2)
            return value
        }
        return nil
    }

    /// A number with a unit, joined (`1TB`) or apart (`2,048 GB`); commas in numbers are thousands separators.
    mutating func quantity() -> (Double, String)? {
        guard let first = words.first else { return nil }
        let text = first.replacingOccurrences(of: ",", with: "")
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let value = Double(digits) else { return nil }
        let unit = text.dropFirst(digits.count).lowercased()
        if !unit.isEmpty {
            words.removeFirst()
            return (value, unit)
        }
        guard words.count > 1 else { return nil }
        let nextUnit = words[1].lowercased()
        guard nextUnit.allSatisfy(\.isLetter) else { return nil }
        words.removeFirst(2)
        return (value, nextUnit)
    }
}

extension StringProtocol {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
