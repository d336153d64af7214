import Foundation

/// A stand-in for a vendor tool: a small shell script in its own temporary folder that records every call (its
/// arguments one per line, what it read on standard input, the names — not values — of its environment variables,
/// whether any of them held the password, and whatever the tool-specific part saves) under `calls/NNN/`, then
/// behaves like the tool.
///
/// The expected BMC password is kept in a 0600 file beside it; the stand-ins refuse a login with another one, like
/// the real tools.
public struct StandInTool: Sendable {
    /// One recorded call.
    public struct Call: Sendable {
        /// The arguments, without the program name.
        public var arguments: [String]
        /// What the tool read on standard input.
        public var input: String
        /// Names of the environment variables it was started with.
        public var environmentNames: [String]
        /// The folder holding what the script saved for this call.
        public var folder: URL
        /// Whether any environment variable of the call held the password.
        public var passwordInEnvironment: Bool { saved("password-in-environment") != nil }

        /// A file the script saved for this call, as text.
        public func saved(_ name: String) -> String? {
            try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
    }

    /// The stand-in's folder (removed by `remove()`).
    public let folder: URL
    /// The executable script.
    public let executable: URL
    /// The password the stand-in accepts (random per test).
    public let password: String

    /// A stand-in named `name` whose behaviour is `body` (sh, run after the call is recorded, with `$DIR` the
    /// stand-in's folder and `$CALL` this call's folder).
    public init(name: String, body: String, password: String = StandInTool.randomPassword()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-standin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("calls"), withIntermediateDirectories: true)
        executable = folder.appendingPathComponent(name)
        self.password = password
        _ = FileManager.default.createFile(
            atPath: folder.appendingPathComponent("expected-password").path, contents: Data(password.utf8),
            attributes: [.posixPermissions: 0o600])
        let script = """
            #!/bin/sh
            DIR='\(folder.path)'
            n=$(ls -1 "$DIR/calls" | wc -l)
            CALL="$DIR/calls/$(printf '%03d' "$n")"
            mkdir -p "$CALL"
            for argument in "$@"; do printf '%s\\n' "$argument" >> "$CALL/argv"; done
            touch "$CALL/argv"
            cat > "$CALL/stdin"
            env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p' | sort > "$CALL/env-names"
            EXPECTED=$(cat "$DIR/expected-password")
            if env | grep -F -q -- "$EXPECTED"; then echo yes > "$CALL/password-in-environment"; fi
            \(body)
            """
        _ = FileManager.default.createFile(
            atPath: executable.path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
    }

    /// A password with characters shells and config files care about, different every time.
    public static func randomPassword() -> String {
        "Pw-\(UUID().uuidString.prefix(8))-#%$&!"
    }

    /// Writes `text` to `name` in the stand-in's folder (its state).
    public func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Writes the SUM stand-in's BIOS (`state.xml`): `settings` (name, selected option) in the Advanced → Boot
    /// Feature menu, as `GetCurrentBiosCfg` prints a server's current values.
    public func writeSUMState(_ settings: [(name: String, value: String)]) throws {
        var xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BiosCfg>\n<Menu name=\"Advanced\">\n"
        xml += "<Menu name=\"Boot Feature\">\n"
        for (name, value) in settings {
            xml += "<Setting name=\"\(name)\" selectedOption=\"\(value)\" type=\"Option\"/>\n"
        }
        try write("state.xml", xml + "</Menu>\n</Menu>\n</BiosCfg>\n")
    }

    /// Writes the SUM stand-in's BIOS (`state.xml`) with each setting in the menus its path names (nested), as
    /// `GetCurrentBiosCfg` prints them.
    public func writeSUMState(menus settings: [(path: [String], name: String, value: String)]) throws {
        func render(_ settings: [(path: [String], name: String, value: String)]) -> String {
            var xml = ""
            for setting in settings where setting.path.isEmpty {
                xml += "<Setting name=\"\(setting.name)\" selectedOption=\"\(setting.value)\" type=\"Option\"/>\n"
            }
            var menus: [String] = []
            for setting in settings where !setting.path.isEmpty && !menus.contains(setting.path[0]) {
                menus.append(setting.path[0])
            }
            for menu in menus {
                let inside = settings.filter { $0.path.first == menu }.map {
                    (path: Array($0.path.dropFirst()), name: $0.name, value: $0.value)
                }
                xml += "<Menu name=\"\(menu)\">\n" + render(inside) + "</Menu>\n"
            }
            return xml
        }
        try write(
            "state.xml",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BiosCfg>\n" + render(settings) + "</BiosCfg>\n")
    }

    /// Reads `name` from the stand-in's folder.
    public func read(_ name: String) -> String? {
        try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// Every call so far, in order.
    public func calls() throws -> [Call] {
        let root = folder.appendingPathComponent("calls")
        return try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().map { name in
            let call = root.appendingPathComponent(name)
            func text(_ file: String) -> String {
                (try? String(contentsOf: call.appendingPathComponent(file), encoding: .utf8)) ?? ""
            }
            return Call(
                arguments: text("argv").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
                    String.init),
                input: text("stdin"),
                environmentNames: text("env-names").split(separator: "\n").map(String.init), folder: call)
        }
    }

    /// Removes the stand-in and its records.
    public func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
