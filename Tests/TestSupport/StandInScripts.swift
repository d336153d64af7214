/// The tool-specific parts of the stand-ins (sh). Each checks the password the way the real tool would receive it
/// from HWAutomation (standard input for SUM and racadm, the `--config` file for iLOrest), refuses `-p`, and prints
/// what the real tool prints.
public enum StandInScripts {
    /// Supermicro SUM: `GetCurrentBiosCfg` copies `$DIR/state.xml` to `--file`; `ChangeBiosCfg` saves the file it was
    /// given (as `change.xml`, with its mode and its folder's) and applies its settings to the state. Out of band
    /// (`-i BMC`) it wants the password on standard input; in band (no `-i`) it logs in to nothing.
    public static let sum = #"""
        command=""; file=""; bmc=""
        while [ $# -gt 0 ]; do
            case "$1" in
                -c) command="$2"; shift ;;
                -i) bmc="$2"; shift ;;
                --file) file="$2"; shift ;;
                -p) echo "stand-in: the password was given with -p" >&2; exit 9 ;;
            esac
            shift
        done
        echo "Supermicro Update Manager (for UEFI BIOS) 2.14.0 (2024/02/15) (x86_64)"
        echo "Copyright(C) 2013-2024 Super Micro Computer, Inc. All rights reserved."
        if [ -n "$bmc" ] && [ "$(head -n 1 "$CALL/stdin")" != "$EXPECTED" ]; then
            echo "ERROR: Authentication failed. The BMC user name or password is incorrect." >&2
            exit 3
        fi
        case "$command" in
            GetCurrentBiosCfg)
                cp "$DIR/state.xml" "$file"
                echo "Status: The BIOS configuration is saved to $file" ;;
            ChangeBiosCfg)
                cp "$file" "$CALL/change.xml"
                stat -c %a "$file" > "$CALL/file-mode"
                stat -c %a "$(dirname "$file")" > "$CALL/folder-mode"
                sed -n 's/.*<Setting name="\([^"]*\)" \(selectedOption\|numericValue\)="\([^"]*\)".*/\1|\3/p' "$file" |
                while IFS='|' read -r name value; do
                    sed -i "s|\(<Setting name=\"$name\" [A-Za-z]*=\"\)[^\"]*\"|\1$value\"|" "$DIR/state.xml"
                done
                echo "Status: Start updating BIOS configuration for the managed system"
                echo "Status: BIOS configuration is updated. Please reboot the system for the changes to take effect." ;;
            *) echo "Invalid command $command" >&2; exit 2 ;;
        esac
        """#

    /// HPE iLOrest: `login` checks the `--config` file (saved as `config`, with its mode) and opens a session in the
    /// `--cache-dir`; `get --select Bios. --json` prints the attributes in `$DIR/state` (`Name=Value` lines); `set`
    /// stages in the cache; `commit` applies what is staged; `logout` ends the session.
    public static let ilorest = #"""
        config=""; cache=""
        while [ $# -gt 0 ]; do
            case "$1" in
                --nologo) ;;
                --config) config="$2"; shift ;;
                --cache-dir) cache="$2"; shift ;;
                *) break ;;
            esac
            shift
        done
        command="$1"; shift
        case "$command" in
            login)
                for argument in "$@"; do
                    case "$argument" in -p|--password*) echo "stand-in: password on the command line" >&2; exit 9 ;; esac
                done
                cp "$config" "$CALL/config"
                stat -c %a "$config" > "$CALL/config-mode"
                password=$(sed -n '/^\[redfish\]/,/^\[/ s/^password = //p' "$config" | head -n 1)
                if [ "$password" != "$EXPECTED" ]; then
                    echo "Error: Could not authenticate. Invalid credentials, or the account is locked." >&2
                    exit 32
                fi
                mkdir -p "$cache"
                echo "session" > "$cache/session"
                echo "Discovering data...Done" ;;
            get)
                [ -f "$cache/session" ] || { echo "Error: No session: log in first." >&2; exit 21; }
                printf '{\n  "AttributeRegistry": "BiosAttributeRegistryU46.v1_2_52",\n  "Attributes": {\n'
                awk '{ if (n++) printf(",\n"); i = index($0, "="); printf("    \"%s\": \"%s\"", substr($0, 1, i - 1), substr($0, i + 1)) } END { printf("\n") }' "$DIR/state"
                printf '  },\n  "Id": "bios",\n  "Name": "BIOS Current Settings"\n}\n' ;;
            set)
                [ -f "$cache/session" ] || { echo "Error: No session: log in first." >&2; exit 21; }
                name="${1%%=*}"
                grep -q "^$name=" "$DIR/state" || { echo "Error: Unable to locate property $name in the selected type." >&2; exit 44; }
                echo "$1" >> "$cache/pending" ;;
            commit)
                echo "Committing changes..."
                while IFS= read -r line; do
                    name="${line%%=*}"
                    sed -i "s|^$name=.*|$line|" "$DIR/state"
                done < "$cache/pending"
                rm -f "$cache/pending"
                echo "One or more properties were changed and will not take effect until system is reset." ;;
            logout)
                rm -f "$cache/session"
                echo "Logging session out." ;;
            *) echo "Error: Command $command not found." >&2; exit 2 ;;
        esac
        """#

    /// Dell racadm (remote): `get BIOS.<Group>` prints the group's `Name=Value` lines from `$DIR/state`
    /// (`BIOS.Group.Name=Value` lines), with `(Pending Value=…)` for staged ones; `set` stages; `jobqueue create
    /// BIOS.Setup.1-1` applies what is staged (the stand-in cannot see the host's reset, so the job "runs" at once).
    public static let racadm = #"""
        while [ $# -gt 0 ]; do
            case "$1" in
                -r) shift ;;
                -u) shift ;;
                -p) echo "stand-in: the password was given with -p" >&2; exit 9 ;;
                *) break ;;
            esac
            shift
        done
        if [ "$(head -n 1 "$CALL/stdin")" != "$EXPECTED" ]; then
            echo "ERROR: Login failed - invalid username or password" >&2
            exit 2
        fi
        touch "$DIR/pending"
        case "$1" in
            get)
                echo "[Key=BIOS.Setup.1-1#${2#BIOS.}]"
                grep "^$2\." "$DIR/state" | while IFS= read -r line; do
                    key="${line%%=*}"; value="${line#*=}"; name="${key##*.}"
                    staged=$(grep "^$key=" "$DIR/pending" | tail -n 1 | cut -d= -f2-)
                    if [ -n "$staged" ]; then echo "$name=$value (Pending Value=$staged)"; else echo "$name=$value"; fi
                done ;;
            set)
                grep -q "^$2=" "$DIR/state" || { echo "ERROR: SWC0242 : Incorrect input or object $2 not found." >&2; exit 1; }
                echo "$2=$3" >> "$DIR/pending"
                echo "Object value modified successfully"
                echo "RAC1017: Successfully modified the object value and the change is in pending state."
                echo "         To apply modified value, create a configuration job and reboot the system." ;;
            jobqueue)
                [ "$2" = "create" ] && [ "$3" = "BIOS.Setup.1-1" ] || { echo "ERROR: Invalid FQDD $3" >&2; exit 1; }
                while IFS= read -r line; do
                    key="${line%%=*}"
                    sed -i "s|^$key=.*|$line|" "$DIR/state"
                done < "$DIR/pending"
                : > "$DIR/pending"
                echo "RAC1024: Successfully scheduled a job."
                echo "Verify the job status using \"racadm jobqueue view -i JID_878659984891\" command."
                echo "Commit JID = JID_878659984891" ;;
            *) echo "ERROR: Invalid subcommand $1" >&2; exit 1 ;;
        esac
        """#

    /// A SUM `GetCurrentBiosCfg` file as an X12 board writes it: ISO-8859-1, nested menus, help and option lists, a
    /// menu whose name holds slashes.
    public static let sumConfiguration = """
        <?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>
        <BiosCfg>
          <!--Supermicro Update Manager 2.14.0 (2024/02/15)-->
          <Information>
            <Motherboard>X12DPT-B</Motherboard>
            <BiosVersion>1.4b</BiosVersion>
          </Information>
          <Menu name="Advanced">
            <Information>
              <Help><![CDATA[Advanced settings]]></Help>
            </Information>
            <Menu name="Boot Feature">
              <Setting name="Quiet Boot" selectedOption="Enabled" type="Option">
                <Information>
                  <AvailableOptions>
                    <Option value="0">Disabled</Option>
                    <Option value="1">Enabled</Option>
                  </AvailableOptions>
                  <DefaultOption>Enabled</DefaultOption>
                </Information>
              </Setting>
              <Setting name="Boot mode select" selectedOption="LEGACY" type="Option">
                <Information>
                  <AvailableOptions>
                    <Option value="0">LEGACY</Option>
                    <Option value="1">UEFI</Option>
                    <Option value="2">DUAL</Option>
                  </AvailableOptions>
                  <DefaultOption>UEFI</DefaultOption>
                </Information>
              </Setting>
            </Menu>
            <Menu name="CPU Configuration">
              <Setting name="Intel Hyper-Threading Technology" selectedOption="Disabled" type="Option">
                <Information>
                  <AvailableOptions>
                    <Option value="0">Disabled</Option>
                    <Option value="1">Enabled</Option>
                  </AvailableOptions>
                </Information>
              </Setting>
              <Menu name="Advanced Power Management Configuration">
                <Setting name="Intel Turbo Boost Technology" selectedOption="Disabled" type="Option"/>
              </Menu>
            </Menu>
            <Menu name="PCIe/PCI/PnP Configuration">
              <Setting name="PXE Boot" selectedOption="Disabled" type="Option"/>
              <Setting name="Above 4G Decoding" selectedOption="Enabled" type="Option"/>
            </Menu>
          </Menu>
          <Menu name="Security">
            <Setting name="Secure Boot" selectedOption="Disabled" type="Option"/>
          </Menu>
        </BiosCfg>
        """
}
