extension Normalisation {
    /// Drive capacities as sold, GB (10⁹ bytes): client and boot sizes, SAS HDD sizes (300/600/900 GB, 1.2/1.8/2.4
    /// TB), read-intensive SSDs (480/960/1920/3840/7680/15360/30720/61440 GB), mixed-use SSDs (400/800/1600/3200/6400
    /// GB), and nearline HDDs (1–24 TB).
    public static let driveSizesGB: [Double] = [
        16, 32, 64, 80, 100, 120, 128, 146, 150, 200, 240, 250, 256, 300, 400, 450, 480, 500, 512, 600, 750, 800, 900,
        960, 1000, 1200, 1600, 1800, 1920, 2000, 2400, 3000, 3200, 3840, 4000, 6000, 6400, 7680, 8000, 10000, 12000,
        12800, 14000, 15360, 16000, 18000, 20000, 22000, 24000, 30720, 32000, 61440, 122_880,
    ]

    /// How far (relative) a drive may be from a size and still be that size; the classifier compares drive sizes
    /// with the catalog's with the same tolerance.
    public static let driveSizeTolerance = 0.12

    /// The marketing capacity nearest `bytes` (within `driveSizeTolerance`), in bytes, else `bytes` unchanged:
    /// 479,559,942,144 → 480 GB; 1,920,383,410,176 → 1.92 TB.
    public static func driveSize(_ bytes: Int64) -> Int64 {
        let gb = Double(bytes) / 1e9
        guard gb > 0 else { return bytes }
        var best: Double?
        var bestDistance = driveSizeTolerance
        for size in driveSizesGB {
            let distance = abs(gb - size) / size
            if distance <= bestDistance {
                best = size
                bestDistance = distance
            }
        }
        guard let best, let snapped = ParsedNumber.bytes(best * 1e9) else { return bytes }
        return snapped
    }

    /// The kind of a drive from what its source says about it, most specific first:
    /// - a `pmem` device is persistent memory;
    /// - `MediaType: HDD` is a spinning disk whatever the transport;
    /// - transport NVMe, or PCIe (NVMe drives behind Dell PERC 11/12 and iLO 5/6 report `Protocol: PCIe` with
    ///   `MediaType: SSD`), an `nvme…` device name or `NVMe` in the model is NVMe;
    /// - `MediaType: SSD` is a SATA/SAS SSD;
    /// - else what the reader concluded (lsblk's rotational flag), else `SSD` in the model.
    public static func driveKind(
        transport: String?, mediaType: String?, name: String, model: String?, reported: StorageDevice.Kind
    ) -> StorageDevice.Kind {
        let model = model ?? ""
        if reported == .pmem || hasPrefix(name, "pmem") { return .pmem }
        if equals(mediaType, "hdd") { return .hdd }
        if equals(transport, "nvme") || equals(transport, "pcie") || hasPrefix(name, "nvme") || contains(model, "nvme")
        {
            return .nvme
        }
        if equals(mediaType, "ssd") { return .ssd }
        if reported != .unknown { return reported }
        return contains(model, "ssd") ? .ssd : .unknown
    }

    /// Kind and size of one drive.
    static func normaliseDrive(_ drive: inout StorageDevice) {
        let kind = driveKind(
            transport: drive.transport, mediaType: drive.mediaType, name: drive.name, model: drive.model,
            reported: drive.kind)
        if kind != drive.kind {
            drive.reportedKind = drive.reportedKind ?? drive.kind
            drive.kind = kind
        }
        let size = driveSize(drive.sizeBytes)
        if size != drive.sizeBytes {
            drive.reportedSizeBytes = drive.reportedSizeBytes ?? drive.sizeBytes
            drive.sizeBytes = size
        }
    }
}
