import Hummingbird
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The request context of the lab's listener: Hummingbird's basics plus the connection, so a fault can cut it.
struct LabRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The TCP connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Drops the connection with a TCP reset (SO_LINGER 0), as a BMC whose web server crashed mid-request does.
    func resetConnection() async {
        if let provider = channel as? any SocketOptionProvider {
            _ = try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        _ = try? await channel.close().get()
    }
}
