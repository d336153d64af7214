import Testing

@testable import Store

/// BMC identities: however an operator spells a BMC's address, one key; different BMCs, different keys.
@Suite("BMC identity")
struct BMCIdentityTests {
    static func key(_ address: String, system: String? = nil) throws -> String {
        try BMCIdentity(address: address, systemID: system).key
    }

    @Test(
        "spellings of one BMC share one key",
        arguments: [
            (
                "https://10.0.0.5:443",
                [
                    "https://10.0.0.5", "10.0.0.5", "HTTPS://10.0.0.5:443/", "https://10.0.0.5/redfish/v1",
                    "https://10.0.0.5:443/redfish/v1/", "https://admin:pw@10.0.0.5", "https://10.0.0.5?x=1#top",
                    "  10.0.0.5:443  ", "https://10.0.0.5:/",
                ]
            ),
            (
                "https://bmc-1.example.com:443",
                [
                    "HTTPS://BMC-1.example.com:443/", "bmc-1.example.com", "Bmc-1.Example.Com.",
                    "https://bmc-1.example.com./redfish/v1/Systems/1",
                ]
            ),
            (
                "http://127.0.0.1:8000/bmc/3",
                [
                    "http://127.0.0.1:8000/bmc/3", "http://127.0.0.1:8000/bmc/3/",
                    "HTTP://127.0.0.1:8000/bmc/3/redfish/v1",
                    "http://127.0.0.1:8000//bmc//3/redfish/v1/Managers/1",
                ]
            ),
            ("http://127.0.0.1:80", ["http://127.0.0.1", "http://127.0.0.1:80/redfish/v1"]),
            ("https://[fe80::1]:443", ["[fe80::1]", "https://[FE80:0:0:0:0:0:0:1]", "fe80::1", "[fe80::0001]:443"]),
            ("https://[::1]:8443", ["https://[::1]:8443", "[0:0:0:0:0:0:0:1]:8443/", "https://[::1]:8443/redfish/v1"]),
            ("https://[fe80::1%25eth0]:443", ["[fe80::1%25eth0]", "https://[FE80::1%eth0]:443/"]),
        ])
    func sameBMC(expected: String, spellings: [String]) throws {
        for spelling in spellings {
            #expect(try Self.key(spelling) == expected, "\(spelling)")
        }
    }

    @Test("the parts are normalised: scheme, host, explicit port, path prefix")
    func parts() throws {
        let lab = try BMCIdentity(address: "HTTP://LAB.example:8000/bmc/3/redfish/v1/")
        #expect(lab.scheme == "http" && lab.host == "lab.example" && lab.port == 8000 && lab.path == "/bmc/3")
        #expect(lab.systemID == nil && lab.description == "http://lab.example:8000/bmc/3")
        let v6 = try BMCIdentity(address: "[2001:DB8:0:0:1:0:0:1]")
        #expect(v6.host == "[2001:db8::1:0:0:1]" && v6.port == 443)
    }

    @Test("a system id is part of the key; the BMC as a whole is the key without it")
    func systems() throws {
        let system = try BMCIdentity(address: "https://10.0.0.5", systemID: " System.Embedded.1 ")
        #expect(system.key == "https://10.0.0.5:443#System.Embedded.1")
        #expect(try Self.key("10.0.0.5:443/redfish/v1", system: "System.Embedded.1") == system.key)
        #expect(system.bmc == (try BMCIdentity(address: "10.0.0.5")))
        #expect(system.bmc.key == "https://10.0.0.5:443")
        #expect(try Self.key("10.0.0.5", system: "") == "https://10.0.0.5:443")
        #expect(try Self.key("10.0.0.5", system: nil) == "https://10.0.0.5:443")
    }

    @Test("different ports, paths, schemes, hosts and system ids are different BMCs")
    func differentBMCs() throws {
        let keys = try [
            Self.key("https://10.0.0.5"), Self.key("https://10.0.0.5:8443"), Self.key("http://10.0.0.5"),
            Self.key("http://10.0.0.5:443"), Self.key("https://10.0.0.6"), Self.key("http://127.0.0.1:8000/bmc/3"),
            Self.key("http://127.0.0.1:8000/bmc/4"), Self.key("http://127.0.0.1:8000/BMC/3"),
            Self.key("http://127.0.0.1:8000"), Self.key("https://10.0.0.5", system: "1"),
            Self.key("https://10.0.0.5", system: "2"), Self.key("https://[::1]"), Self.key("https://[::2]"),
            Self.key("bmc-1.example.com"), Self.key("bmc-2.example.com"),
        ]
        #expect(Set(keys).count == keys.count, "\(keys)")
    }

    @Test(
        "addresses that cannot name a BMC are errors naming the address (never its password) and the reason",
        arguments: [
            ("", "empty"), ("   ", "empty"), ("ftp://10.0.0.5", "scheme `ftp`"), ("https://", "names no host"),
            ("https://:443", "names no host"), ("10.0.0.300", "not an IPv4 address"), ("10.1", "not an IPv4 address"),
            ("https://10.0.0.5:0", "port `0`"), ("https://10.0.0.5:65536", "port `65536`"),
            ("https://10.0.0.5:https", "port `https`"), ("[fe80::1", "no closing `]`"),
            ("[fe80::1]x", "not a port"), ("[fe80::g]", "not an IPv6 address"), ("fe80::1::2", "not an IPv6 address"),
            ("bmc_1..example", "not a hostname"), ("bmc 1.example", "spaces"), ("bmc%31.example", "not a hostname"),
            ("https://user:s3cret@10.0.0.5:99999", "port `99999`"),
        ])
    func invalid(address: String, reason: String) {
        let error = #expect(throws: BMCIdentityError.self) { try BMCIdentity(address: address) }
        #expect(error?.description.contains(reason) == true, "\(error.map(String.init(describing:)) ?? "none")")
        #expect(error?.description.contains("`\(BMCIdentityError.redacted(address))`") == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test("a system id must be one path segment")
    func invalidSystem() {
        for system in ["a/b", "a#b", "a b", "a?b"] {
            let error = #expect(throws: BMCIdentityError.self) {
                try BMCIdentity(address: "10.0.0.5", systemID: system)
            }
            #expect(error?.description.contains("system id") == true)
        }
    }
}
