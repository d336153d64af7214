/// Tokens the mutator inserts: extreme and malformed numbers, sizes, empty and odd strings, and per-format syntax.
enum FuzzDictionary {
    /// Numbers that break unchecked conversions and arithmetic.
    static let numbers = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999", "4294967295", "4294967296",
        "2147483647", "2147483648", "-2147483649", "1e400", "-1e400", "1e308", "-1e308", "1.7976931348623157e308",
        "-1.7976931348623157e308", "4.9e-324", "1e-400", "inf", "-inf", "+inf", "Infinity", "-Infinity", "infinity",
        "nan", "NaN", "-nan", "-0", "0", "-1", "1", "0.5", "-0.0", "0x7fffffff", "0xffffffffffffffff", "0b1", "0o17",
        "1_000", "2,048", "１２", "٣", String(repeating: "9", count: 400),
        "0." + String(repeating: "0", count: 400) + "1",
    ]

    /// Sizes and quantities as the tools print them, negative and absurd ones included.
    static let quantities = [
        "-1 GB", "-512 MB", "-16384 MB", "0 GB", "1e400 GB", "inf GB", "nan MB", "99999999999999999999 TB",
        "9223372036854775807 kB", "-1 MHz", "1e300 MHz", "inf GHz", "nan GT/s", "18446744073709551616 MT/s",
        "1e400Gbit/s", "-25Gbit/s", "99999999999999999999Mbit/s", "-2x 1TB NVMe", "9223372036854775808x 1e400TB SSD",
        "2x inf NVMe", "2x 25Gbps", "-4x 10GbE", "1x nanGbps",
    ]

    /// Strings that are empty, odd or encoding edge cases.
    static let strings = [
        "", " ", "\t", "\n", "\r\n", "\0", "\u{FEFF}", "\u{FFFD}", "é", "💥", "\\", "\\u0000", "%s%n", "$(reboot)",
        "../../../../etc/passwd", String(repeating: "A", count: 4096), "null", "true", "false", "~", "N/A",
        "Not Specified",
    ]

    /// Syntax tokens per format.
    static func syntax(_ format: FuzzTarget.Format) -> [String] {
        switch format {
        case .text:
            return [
                ":", " : ", "|", " | ", "\t", "\t\t", "Handle 0x0041, DMI type 4, 48 bytes\n",
                "Handle 0x0111, DMI type 17, 92 bytes\n", "Handle 0x0100, DMI type 16, 23 bytes\n",
                "DMI type 99999999999999999999", "Mem:", "Swap:", "/sys/class/net/eth0/speed ", "CPU(s):",
                "Socket(s):", "Core(s) per socket:", "Thread(s) per core:", "CPU max MHz:", "Core Count: ",
                "Thread Count: ", "Size: ", "Speed: ", "Max Speed: ", "Number Of Devices: ", "Manufacturer ID : ",
                "802.1q VLAN ID : ", "true ", "false ",
            ]
        case .json:
            return [
                "{", "}", "[", "]", ",", ":", "\"", "{}", "[]", "\"\"", "null", "{\"a\":", "\"@odata.id\":",
                "\"Members\":[", "\"Attributes\":{", "\"CapacityBytes\":", "\"CapacityMiB\":", "\"TotalCores\":",
                "\"size\":", "\"children\":[", "\"status\":", "\"interface_set\":[", "\"prefixlen\":", "\\u0000",
                "\\ud800", "\"\\uDFFF\"",
            ]
        case .yaml:
            return [
                "- ", ": ", "? ", "&a ", "*a", "<<: *a", "!!binary ", "!!int ", "!!float ", "!!str ", "!!map ",
                "!!seq ", "!custom ", "|-\n", ">\n", "~", ".inf", "-.inf", ".nan", ".NaN", "---\n", "...\n",
                "%YAML 1.1\n",
                "%TAG ! tag:x,2000:\n", "{", "}", "[", "]", "\"", "'", "#", "\n  ", "\t", "0o777",
                "0x7fffffffffffffffff",
            ]
        case .xml:
            return [
                "<", ">", "/>", "</", "<Menu name=\"a\">", "</Menu>", "<Setting name=\"x\" selectedOption=\"y\"/>",
                "<Setting name=\"n\" numericValue=\"99999999999999999999\"/>", "<BiosCfg>", "</BiosCfg>",
                "<BiosConfig deviceType=\"a\">", "</BiosConfig>", "<![CDATA[", "]]>", "<!-- ", " -->", "&amp;", "&lt;",
                "&#0;", "&#x110000;", "&#xD800;", "&e;", "<!DOCTYPE a [<!ENTITY e \"xx\">]>", "<?xml version=\"1.0\"?>",
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "xmlns:a=\"b\"", "a:b=\"c\"", "\"", "'", "=",
            ]
        }
    }

    /// Openers and closers for nesting mutations, per format.
    static func nesting(_ format: FuzzTarget.Format) -> [(open: String, close: String)] {
        switch format {
        case .text: return [("\t", ""), ("Handle 0x0001, DMI type 17, 92 bytes\nMemory Device\n", "")]
        case .json: return [("[", "]"), ("{\"a\":", "}"), ("{\"children\":[", "]}"), ("{\"Members\":[", "]}")]
        case .yaml: return [("[", "]"), ("{a: ", "}"), ("- ", ""), ("? ", "")]
        case .xml: return [("<a>", "</a>"), ("<Menu name=\"m\">", "</Menu>"), ("<x a=\"1\">", "</x>")]
        }
    }

    /// Every token for `format`, plus `extra`.
    static func tokens(_ format: FuzzTarget.Format, extra: [String]) -> [[UInt8]] {
        (numbers + quantities + strings + syntax(format) + extra).map { Array($0.utf8) }
    }
}
