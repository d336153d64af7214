import Foundation

/// How the repository's images are published to BMCs (the server itself is `FirmwareFileServer`, in Orchestration).
extension FirmwareLibrary {
    /// The first path segment the images are served under: `/firmware/<vendor>/<component>/<file>`.
    public static let servedPrefix = "firmware"

    /// The URL a BMC fetches `image` from, given the file server's base URL (`http://10.0.0.2:8088`).
    public static func downloadURL(of image: FirmwareImage, base: URL) -> URL {
        var url = base.appendingPathComponent(servedPrefix)
        for part in image.file.split(separator: "/") { url.appendPathComponent(String(part)) }
        return url
    }

    /// The file to serve for `name` (an image's `file`, as it follows the prefix): nil when the manifest records no
    /// such image; throws when the file is missing or no longer has its recorded SHA-256.
    public func servedFile(_ name: String) throws(FirmwareError) -> URL? {
        guard let image = try images().first(where: { $0.file == name }) else { return nil }
        return try verify(image)
    }
}
