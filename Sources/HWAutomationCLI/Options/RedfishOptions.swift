import ArgumentParser
import Foundation
import Logging
import Redfish

/// How to reach a BMC over Redfish: shared by every command that talks to one.
struct RedfishOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The BMC's Redfish URL (https://10.0.0.5).", valueName: "url"))
    var redfish: String?

    @Option(help: "BMC user.")
    var user: String?

    @Option(
        name: .customLong("password-env"),
        help: ArgumentHelp("Environment variable holding the BMC password.", valueName: "var"))
    var passwordEnv: String?

    @Option(
        name: .customLong("password-file"),
        help: ArgumentHelp("File (mode 0600) holding the BMC password.", valueName: "file"))
    var passwordFile: String?

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM file of CA certificates to trust for this BMC.", valueName: "file"))
    var caFile: String?

    @Flag(help: "Do not verify this BMC's TLS certificate.")
    var insecure = false

    @Option(
        help: ArgumentHelp(
            "session (log in once, end the session after; the default) or basic (HTTP Basic on every request, which "
                + "DSP0266 requires every Redfish service to accept: three requests fewer for a short command).",
            valueName: "kind"))
    var auth: RedfishAuth = .session

    @Flag(
        help:
            "Pin this BMC's certificate on first use (stored under $HWA_STATE_DIR/bmc-certificates); trust only it after."
    )
    var pin = false

    func validate() throws {
        if passwordEnv != nil, passwordFile != nil {
            throw ValidationError("give --password-env or --password-file, not both")
        }
        if [insecure, caFile != nil, pin].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --ca-file, --pin or --insecure")
        }
    }

    /// The endpoint these options describe; exits 1 with a clear message on a bad URL or password source.
    func endpoint() async throws -> RedfishEndpoint {
        guard let redfish, redfish.contains("://") else {
            throw CommandFailure("--redfish needs a URL such as https://10.0.0.5")
        }
        let base: URL
        do {
            base = try RedfishEndpoint.parseBaseURL(redfish)
        } catch {
            throw CommandFailure("--redfish: \(error.message)")
        }
        let password = try Secrets.password(environment: passwordEnv, file: passwordFile)
        var tls: RedfishEndpoint.TLSPolicy = insecure ? .insecure : (caFile.map { .trustRoots(pemFile: $0) } ?? .verify)
        if pin, base.scheme == "https" {
            do {
                tls = try await CertificatePins(directory: CertificatePins.defaultDirectory())
                    .policy(host: base.host!, port: base.port ?? 443)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        return RedfishEndpoint(
            baseURL: base, username: user, password: password, tls: tls, preferSessions: auth == .session)
    }

    /// A client for the endpoint.
    func client(logger: Logger) async throws -> RedfishClient {
        let endpoint = try await endpoint()
        do {
            return try RedfishClient(endpoint: endpoint, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

/// Passwords come from an environment variable or a 0600 file, never from the command line.
enum Secrets {
    static func password(environment variable: String?, file: String?) throws -> String? {
        if let variable {
            guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                throw CommandFailure("the environment variable \(variable) is not set")
            }
            return value
        }
        guard let file else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        guard let permissions = attributes?[.posixPermissions] as? Int,
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else {
            throw CommandFailure("\(file): cannot read the password file")
        }
        guard permissions & 0o077 == 0 else {
            throw CommandFailure(
                "\(file) is readable by others (mode \(String(permissions, radix: 8))); run `chmod 600 \(file)`")
        }
        return text.trimmingCharacters(in: .newlines)
    }
}

/// How a command authenticates to a BMC (`--auth`).
enum RedfishAuth: String, ExpressibleByArgument, CaseIterable {
    case session, basic
}
