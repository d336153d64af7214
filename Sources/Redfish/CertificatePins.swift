import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// BMC certificates pinned on first use: the first certificate a BMC presents is stored; afterwards only that
/// certificate is trusted for it (hostname checks off, since BMCs are reached by address). A changed certificate
/// then fails the TLS handshake, and the error names the pin file to remove if the change was expected.
public struct CertificatePins: Sendable {
    /// Folder of `<host>_<port>.pem` files.
    public var directory: URL

    /// Pins kept in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// `$HWA_STATE_DIR/bmc-certificates`, else `~/.local/share/hwautomation/bmc-certificates`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["HWA_STATE_DIR"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("bmc-certificates")
        }
        return URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory())
            .appendingPathComponent(".local/share/hwautomation/bmc-certificates")
    }

    /// The pin file of a BMC.
    public func file(host: String, port: Int) -> URL {
        directory.appendingPathComponent("\(host.replacingOccurrences(of: ":", with: "_"))_\(port).pem")
    }

    /// The TLS policy for a BMC: its pin when there is one; otherwise the certificate it presents now is fetched,
    /// stored, and pinned.
    public func policy(host: String, port: Int, timeout: Duration = .seconds(10)) async throws(RedfishError)
        -> RedfishEndpoint.TLSPolicy
    {
        let pin = file(host: host, port: port)
        if FileManager.default.fileExists(atPath: pin.path) { return .pinned(pemFile: pin.path) }
        let pem = try await Self.fetch(host: host, port: port, timeout: timeout)
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(pem.utf8).write(to: pin, options: .atomic)
        } catch {
            throw RedfishError(
                kind: .transport, bmc: "\(host):\(port)", method: "-", path: "-",
                message: "cannot store the certificate pin at \(pin.path): \(error.localizedDescription)")
        }
        return .pinned(pemFile: pin.path)
    }

    /// The leaf certificate a TLS server presents, as PEM (read without verifying it).
    public static func fetch(host: String, port: Int, timeout: Duration) async throws(RedfishError) -> String {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            let handshake = HandshakeWatcher()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(RedfishClient.timeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: context, serverHostname: nil))
                        try channel.pipeline.syncOperations.addHandler(handshake)
                    }
                }
                .connect(host: host, port: port).get()
            defer { channel.close(promise: nil) }
            try await handshake.completed(on: channel.eventLoop, timeout: timeout)
            guard let certificate = try await channel.nioSSL_peerCertificate().get() else {
                throw RedfishError(
                    kind: .transport, bmc: "\(host):\(port)", method: "-", path: "-",
                    message: "no certificate presented")
            }
            let der = Data(try certificate.toDERBytes()).base64EncodedString(options: [
                .lineLength64Characters, .endLineWithLineFeed,
            ])
            return "-----BEGIN CERTIFICATE-----\n\(der)\n-----END CERTIFICATE-----\n"
        } catch let error as RedfishError {
            throw error
        } catch {
            throw RedfishError(
                kind: .transport, bmc: "\(host):\(port)", method: "-", path: "-",
                message: "cannot read the BMC's certificate: \(RedfishClient.describe(error))")
        }
    }
}

/// Completes when the TLS handshake does.
private final class HandshakeWatcher: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var promise: EventLoopPromise<Void>?
    private var done = false

    func completed(on loop: any EventLoop, timeout: Duration) async throws {
        let promise = loop.makePromise(of: Void.self)
        try await loop.submit {
            if self.done { promise.succeed() } else { self.promise = promise }
        }.get()
        loop.scheduleTask(in: RedfishClient.timeAmount(timeout)) {
            promise.fail(ChannelError.connectTimeout(RedfishClient.timeAmount(timeout)))
        }
        try await promise.futureResult.get()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            done = true
            promise?.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise?.fail(error)
        context.fireErrorCaught(error)
    }
}
